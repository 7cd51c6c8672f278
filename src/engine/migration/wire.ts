/**
 * What QEMU 2.5/2.6 puts on the wire for RAM (migration/ram.c, migration/savevm.c).
 * Page records carry an 8-byte be64 (offset | flags); the block name follows the first record of
 * a block and RAM_SAVE_FLAG_CONTINUE elides it afterwards.
 */

export const RAM_SAVE_FLAG_ZERO = 0x02; // "COMPRESS" in 2.x: a fill byte follows
export const RAM_SAVE_FLAG_MEM_SIZE = 0x04;
export const RAM_SAVE_FLAG_PAGE = 0x08;
export const RAM_SAVE_FLAG_EOS = 0x10;
export const RAM_SAVE_FLAG_CONTINUE = 0x20;

const HEADER = 8;
/** Zero page: header + the fill byte. */
export const ZERO_PAGE_BYTES = HEADER + 1;
/** Normal page: header + 4096 bytes of content. */
export const NORMAL_PAGE_BYTES = HEADER + 4096;
/** First record of the block: length byte + "pc.ram". */
export const BLOCK_NAME_BYTES = 1 + 'pc.ram'.length;
/** RAM_SAVE_FLAG_EOS closing every RAM section (counted in ram `transferred`). */
export const EOS_BYTES = 8;
/** QEMU_VM_SECTION_PART/_END + section id. */
export const SECTION_HEADER_BYTES = 5;
/** QEMU_VM_SECTION_FOOTER + section id. */
export const SECTION_FOOTER_BYTES = 5;
export const SECTION_OVERHEAD_BYTES = SECTION_HEADER_BYTES + SECTION_FOOTER_BYTES;
/** Setup section: be64(total | MEM_SIZE), then per block len + "pc.ram" + be64(used_length), EOS. */
export const SETUP_SECTION_BYTES = 8 + BLOCK_NAME_BYTES + 8 + EOS_BYTES;
