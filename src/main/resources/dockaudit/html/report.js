(function () {
  'use strict';
  var doc = document;
  doc.documentElement.classList.add('js');
  var rows = Array.prototype.slice.call(doc.querySelectorAll('table.findings > tbody > tr'));
  var controls = doc.getElementById('controls');
  if (controls) {
    var sev = doc.getElementById('f-severity');
    var cat = doc.getElementById('f-category');
    var text = doc.getElementById('f-text');
    var count = doc.getElementById('f-count');
    var apply = function () {
      var s = sev.value, c = cat.value, t = text.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (r) {
        var ok = (!s || r.getAttribute('data-severity') === s) && (!c || r.getAttribute('data-category') === c)
          && (!t || r.textContent.toLowerCase().indexOf(t) >= 0);
        r.hidden = !ok;
        if (ok) { shown++; }
      });
      count.textContent = shown + ' of ' + rows.length + ' findings shown';
      count.setAttribute('data-shown', String(shown));
    };
    sev.addEventListener('change', apply);
    cat.addEventListener('change', apply);
    text.addEventListener('input', apply);
    controls.hidden = false;
    apply();
  }

  var NUMBER = /^-?\d+(\.\d+)?$/;
  var key = function (cell) {
    var k = cell ? cell.getAttribute('data-key') : '';
    return k !== null ? k : cell.textContent.trim().toLowerCase();
  };
  var sortBy = function (table, index, th) {
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir);
    var body = table.tBodies[0];
    var list = Array.prototype.slice.call(body.rows);
    list.forEach(function (r, i) { r.setAttribute('data-pos', r.getAttribute('data-pos') || String(i)); });
    list.sort(function (a, b) {
      var x = key(a.cells[index]), y = key(b.cells[index]);
      var c = NUMBER.test(x) && NUMBER.test(y) ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      if (dir === 'descending') { c = -c; }
      return c || (parseInt(a.getAttribute('data-pos'), 10) - parseInt(b.getAttribute('data-pos'), 10));
    });
    list.forEach(function (r) { body.appendChild(r); });
  };
  Array.prototype.forEach.call(doc.querySelectorAll('table.sortable'), function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.classList.add('sortable');
      th.tabIndex = 0;
      th.addEventListener('click', function () { sortBy(table, i, th); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, i, th); }
      });
    });
  });

  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(doc.querySelectorAll('details'), function (d) { d.open = true; });
  });
})();
