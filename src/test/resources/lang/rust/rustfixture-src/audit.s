	.section .dep-v0,"",@progbits
	.globl _AUDITABLE_VERSION_INFO
_AUDITABLE_VERSION_INFO:
	.incbin "audit.zlib"
