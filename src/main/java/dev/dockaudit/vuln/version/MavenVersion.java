package dev.dockaudit.vuln.version;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Maven artifact versions ordered as Maven's {@code ComparableVersion} (maven-artifact 3.9) does, the "version order
 * specification" of the POM reference.
 *
 * <ul>
 * <li>The lower-cased version is cut into items at '.', at '-' and at every change between digits and non-digits;
 * '-', a digit/letter change and a qualifier after '.' start a nested list ({@code 1.0.0.x1 < 1.0.0-x2}), a number
 * after '.' does not. An empty item is 0.</li>
 * <li>Trailing "null" items (0, "", "ga", "final", "release", empty lists) are dropped from each list, so
 * {@code 1 = 1.0 = 1-0 = 1.ga}.</li>
 * <li>Qualifiers: {@code alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp}, then any
 * other qualifier, alphabetically; "a", "b", "m" directly followed by a digit mean alpha, beta, milestone.</li>
 * <li>A number is higher than a qualifier and than a nested list; a nested list is higher than a qualifier. Numbers
 * compare by value, any length (with Maven's quirk that a run of 10 or more zeros counts as a "longer" number).</li>
 * </ul>
 *
 * Maven orders every string; this comparator rejects only empty strings and strings with white space or control
 * characters.
 */
public final class MavenVersion implements VersionComparator {

    public static final MavenVersion INSTANCE = new MavenVersion();
    private static final String SCHEME = "maven";

    private MavenVersion() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public int compare(String a, String b) {
        ListItem la = parse(check(a));
        ListItem lb = parse(check(b));
        return Integer.signum(la.compareTo(lb));
    }

    @Override
    public boolean isValid(String v) {
        try {
            check(v);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    private static String check(String v) {
        Chars.checkCommon(SCHEME, v);
        int bad = Chars.firstSpaceOrControl(v);
        if (bad >= 0) {
            throw new InvalidVersionException(SCHEME, v, "white space or control " + Chars.describe(v.charAt(bad)));
        }
        return v;
    }

    // item kinds; the order of the numeric kinds matters (a longer number is a "bigger" kind)
    private static final int INT = 0;
    private static final int LONG = 1;
    private static final int BIG = 2;
    private static final int STRING = 3;
    private static final int LIST = 4;

    private interface Item {
        int kind();

        boolean isNull();

        /** Compares with another item, or with "nothing" when {@code other} is null. */
        int compareTo(Item other);
    }

    private static final class NumberItem implements Item {
        static final NumberItem ZERO = new NumberItem("0", INT);
        final String digits; // ASCII digits, leading zeros stripped unless all zeros
        final int kind;

        NumberItem(String digits, int kind) {
            this.digits = digits;
            this.kind = kind;
        }

        static NumberItem of(String raw) {
            StringBuilder b = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                b.append((char) ('0' + Character.digit(raw.charAt(i), 10)));
            }
            String s = b.toString();
            int i = 0;
            while (i < s.length() && s.charAt(i) == '0') {
                i++;
            }
            if (i < s.length()) {
                s = s.substring(i);
            }
            int kind = s.length() <= 9 ? INT : s.length() <= 18 ? LONG : BIG;
            return new NumberItem(s, kind);
        }

        @Override
        public int kind() {
            return kind;
        }

        @Override
        public boolean isNull() {
            for (int i = 0; i < digits.length(); i++) {
                if (digits.charAt(i) != '0') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int compareTo(Item other) {
            if (other == null) {
                return isNull() ? 0 : 1;
            }
            int k = other.kind();
            if (k == STRING || k == LIST) {
                return 1;
            }
            if (k != kind) {
                return kind < k ? -1 : 1;
            }
            return Chars.compareDigits(digits, ((NumberItem) other).digits);
        }
    }

    private static final class StringItem implements Item {
        private static final String[] QUALIFIERS = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
        private static final String RELEASE_INDEX = "5";
        final String value;
        final String comparable;

        StringItem(String value, boolean followedByDigit) {
            if (followedByDigit && value.length() == 1) {
                switch (value.charAt(0)) {
                    case 'a' -> value = "alpha";
                    case 'b' -> value = "beta";
                    case 'm' -> value = "milestone";
                    default -> {
                    }
                }
            }
            switch (value) {
                case "ga", "final", "release" -> value = "";
                case "cr" -> value = "rc";
                default -> {
                }
            }
            this.value = value;
            this.comparable = comparableQualifier(value);
        }

        private static String comparableQualifier(String q) {
            for (int i = 0; i < QUALIFIERS.length; i++) {
                if (QUALIFIERS[i].equals(q)) {
                    return String.valueOf(i);
                }
            }
            return QUALIFIERS.length + "-" + q;
        }

        @Override
        public int kind() {
            return STRING;
        }

        @Override
        public boolean isNull() {
            return comparable.equals(RELEASE_INDEX);
        }

        @Override
        public int compareTo(Item other) {
            if (other == null) {
                return Integer.signum(comparable.compareTo(RELEASE_INDEX));
            }
            if (other.kind() == STRING) {
                return Integer.signum(comparable.compareTo(((StringItem) other).comparable));
            }
            return -1;
        }
    }

    private static final class ListItem implements Item {
        final List<Item> items = new ArrayList<>(4);

        @Override
        public int kind() {
            return LIST;
        }

        @Override
        public boolean isNull() {
            return items.isEmpty();
        }

        void normalize() {
            for (int i = items.size() - 1; i >= 0; i--) {
                Item last = items.get(i);
                if (last.isNull()) {
                    items.remove(i);
                } else if (!(last instanceof ListItem)) {
                    break;
                }
            }
        }

        @Override
        public int compareTo(Item other) {
            if (other == null) {
                for (Item i : items) {
                    int r = i.compareTo(null);
                    if (r != 0) {
                        return r;
                    }
                }
                return 0;
            }
            int k = other.kind();
            if (k == STRING) {
                return 1;
            }
            if (k != LIST) {
                return -1;
            }
            List<Item> right = ((ListItem) other).items;
            int n = Math.max(items.size(), right.size());
            for (int i = 0; i < n; i++) {
                Item l = i < items.size() ? items.get(i) : null;
                Item r = i < right.size() ? right.get(i) : null;
                int c = l == null ? (r == null ? 0 : -r.compareTo(null)) : l.compareTo(r);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }

    private static Item item(boolean digit, String buf) {
        return digit ? NumberItem.of(buf) : new StringItem(buf, false);
    }

    private static ListItem parse(String version) {
        String v = version.toLowerCase(Locale.ENGLISH);
        ListItem root = new ListItem();
        ListItem list = root;
        Deque<ListItem> stack = new ArrayDeque<>();
        stack.push(list);
        boolean isDigit = false;
        int start = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '.') {
                list.items.add(i == start ? NumberItem.ZERO : item(isDigit, v.substring(start, i)));
                start = i + 1;
            } else if (c == '-') {
                list.items.add(i == start ? NumberItem.ZERO : item(isDigit, v.substring(start, i)));
                start = i + 1;
                ListItem sub = new ListItem();
                list.items.add(sub);
                list = sub;
                stack.push(sub);
            } else if (Character.isDigit(c)) {
                if (!isDigit && i > start) {
                    // a qualifier after '.' opens a list like '-' does: 1.0.0.x1 < 1.0.0-x2
                    if (!list.items.isEmpty()) {
                        ListItem sub = new ListItem();
                        list.items.add(sub);
                        list = sub;
                        stack.push(sub);
                    }
                    list.items.add(new StringItem(v.substring(start, i), true));
                    start = i;
                    ListItem sub = new ListItem();
                    list.items.add(sub);
                    list = sub;
                    stack.push(sub);
                }
                isDigit = true;
            } else {
                if (isDigit && i > start) {
                    list.items.add(item(true, v.substring(start, i)));
                    start = i;
                    ListItem sub = new ListItem();
                    list.items.add(sub);
                    list = sub;
                    stack.push(sub);
                }
                isDigit = false;
            }
        }
        if (v.length() > start) {
            if (!isDigit && !list.items.isEmpty()) {
                ListItem sub = new ListItem();
                list.items.add(sub);
                list = sub;
                stack.push(sub);
            }
            list.items.add(item(isDigit, v.substring(start)));
        }
        while (!stack.isEmpty()) {
            stack.pop().normalize();
        }
        return root;
    }
}
