"""Keeps only what Go's pre-1.18 build info needs from a real Go ELF binary and zeroes every other byte:
the ELF header, program and section headers, notes (the Go build ID) and section names, the 32-byte .go.buildinfo header, the two string headers it points to,
and the two strings (Go version, module text) those point to. File size and layout are unchanged."""
import struct, sys
src, dst = sys.argv[1], sys.argv[2]
d = bytearray(open(src, 'rb').read())
assert d[:4] == b'\x7fELF' and d[4] == 2 and d[5] == 1, 'expects a 64-bit little-endian ELF'
phoff, = struct.unpack_from('<Q', d, 0x20)
phentsize, phnum = struct.unpack_from('<HH', d, 0x36)
loads = []
notes = []
for i in range(phnum):
    t, fl, off, va, pa, fsz = struct.unpack_from('<IIQQQQ', d, phoff + i * phentsize)
    if t == 1:
        loads.append((off, va, fsz))
    elif t == 4:
        notes.append((off, off + fsz))
def off_of(va):
    for off, v, fsz in loads:
        if v <= va < v + fsz:
            return off + va - v
    raise ValueError(hex(va))
bi = d.find(b'\xff Go buildinf:')
assert bi % 16 == 0 and d[bi + 14] == 8 and d[bi + 15] & 2 == 0, 'expects pointer-format build info'
keep = [(0, phoff + phnum * phentsize), (bi, bi + 32)] + notes
shoff, = struct.unpack_from('<Q', d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)
keep.append((shoff, shoff + shnum * shentsize))
_, _, _, _, stroff, strsize = struct.unpack_from('<IIQQQQ', d, shoff + shstrndx * shentsize)
keep.append((stroff, stroff + strsize))
for ptr in struct.unpack_from('<QQ', d, bi + 16):
    h = off_of(ptr)
    keep.append((h, h + 16))
    data, n = struct.unpack_from('<QQ', d, h)
    s = off_of(data)
    keep.append((s, s + n))
out = bytearray(len(d))
for a, b in keep:
    out[a:b] = d[a:b]
open(dst, 'wb').write(out)
print('kept', keep)
