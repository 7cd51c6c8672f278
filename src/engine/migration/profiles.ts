/**
 * Host profiles: the costs of one testbed. A profile is the same for every case and every mode;
 * nothing in it depends on which scenario runs.
 *
 * `rfc-2016` is the RFC's testbed: Xeon E5-2699 v3 (Haswell-EP, 2.3 GHz), host kernel 4.2,
 * QEMU 2.5/2.6, 8 GiB guest, Intel X540 10 GbE. Each constant says where it comes from: a
 * hardware fact, QEMU's source, or arithmetic on the published table (README, "Model and
 * calibration", shows the arithmetic).
 */
import { ownValue } from '../input';

export interface HostProfile {
  readonly id: string;
  readonly title: string;
  /** Link speed when the scenario does not set one, Gbit/s. */
  readonly defaultLinkGbps: number;
  /** max-bandwidth when the scenario does not set one, MiB/s. */
  readonly defaultMaxBandwidthMiBs: number;
  /** TCP goodput as a fraction of the line rate. */
  readonly linkEfficiency: number;
  /** Kernel socket send buffer: how far the migration thread may run ahead of the wire, bytes. */
  readonly socketBufferBytes: number;

  /** Migration thread CPU per zero page: buffer_is_zero must read all 4096 bytes, ns. */
  readonly zeroPageNs: number;
  /** Migration thread CPU per data page: zero check exits early, 4 KiB copied into the QEMUFile, ns. */
  readonly dataPageNs: number;
  /** find_next_bit over one 32-page bitmap word with nothing set, ns. */
  readonly scanNsPerWord: number;

  /** migrate command to the start of RAM setup: connection, savevm header, device setup, ms. */
  readonly setupFixedMs: number;
  /** Allocating and filling the migration bitmap, per guest page, ns. */
  readonly bitmapInitNsPerPage: number;
  /** KVM_MEM_LOG_DIRTY_PAGES on: visiting every gfn's rmap, per guest page, ns. */
  readonly logStartNsPerPage: number;
  /** ... and write-protecting each page the host has mapped (sptes present), per mapped page, ns. */
  readonly logStartNsPerMappedPage: number;
  /** migration_bitmap_sync: KVM_GET_DIRTY_LOG and the merge, per guest page, ns. */
  readonly syncNsPerPage: number;
  /** ... plus re-protecting each dirty page, ns. */
  readonly syncNsPerDirtyPage: number;

  /** vm_stop: pause vCPUs, drain block I/O, ms. */
  readonly vmStopMs: number;
  /** Non-RAM device state sent during downtime (CPU, virtio, VGA registers...), bytes. */
  readonly deviceStateBytes: number;

  /** Guest interrupt to driver work item running, ms. */
  readonly guestIrqMs: number;
  /** Driver kick to QEMU's virtqueue handler running, ms. */
  readonly deviceNotifyMs: number;
  /** Free-list walk: one list node (a cache-missing struct page), ns. */
  readonly walkNsPerBlock: number;
  /** Free-list walk: one bit set in the bitmap per free 4 KiB page, ns. */
  readonly walkNsPerFreePage: number;
  /** memcpy of the bitmap into QEMU, bytes per ms. */
  readonly memcpyBytesPerMs: number;
  /** The RFC's setup waits for the bitmap with usleep(1000) polls, ms. */
  readonly pollIntervalMs: number;
  /** pagemap mode: reading one 8-byte /proc/self/pagemap entry (the kernel walks the page table), ns. */
  readonly pagemapNsPerPage: number;
  /** hint mode, guest: take a free 4 MiB block, post it, kick (a VM exit), ns. */
  readonly hintGuestNsPerBlock: number;
  /** hint mode, QEMU iothread: pop a buffer, clear its pages from the bitmap, push it used, ns. */
  readonly hintDeviceNsPerBuffer: number;
}

export const RFC_2016: HostProfile = {
  id: 'rfc-2016',
  title: 'RFC 2016 testbed: E5-2699 v3, QEMU 2.5/2.6, 10 GbE',
  // Intel X540-AT2.
  defaultLinkGbps: 10,
  // The RFC moved 8.3 GB in 7.4 s, so max-bandwidth was raised above line rate: 10 Gbit/s in MiB/s.
  defaultMaxBandwidthMiBs: 1192,
  // TCP over Ethernet, MTU 1500: 1448 payload bytes (MSS with timestamps) per 1538 bytes on the wire.
  linkEfficiency: 1448 / 1538,
  // Linux tcp_wmem maximum (4 MiB) with send-buffer autotuning.
  socketBufferBytes: 4 << 20,
  // Derived from case 1 original, the CPU-bound cell: ~1745 ms of bulk stage for ~2.0 M zero pages
  // = 0.8 us per page, i.e. buffer_is_zero at ~5 GB/s (a minor fault on untouched host memory included).
  zeroPageNs: 800,
  // Zero check exits at the first word, 4 KiB memcpy into the QEMUFile buffer (~10 GB/s), header, writev share.
  dataPageNs: 1000,
  // find_next_bit: one load and test per 32 clean pages.
  scanNsPerWord: 1,
  // Derived from case 1 pv: what 421 ms leave after every modelled cost (README). Consistent with
  // 2.5's setup: savevm header and device setup, each memslot update waiting for an SRCU grace period.
  setupFixedMs: 65,
  // bitmap_new + bitmap_set over 2 Mi bits: a memset.
  bitmapInitNsPerPage: 0.1,
  // kvm_mmu_slot_remove_write_access visits every gfn's rmap at each page-size level.
  logStartNsPerPage: 5,
  // Derived from case 2 pv minus case 1 pv: ~125 ms over ~1.9 M more pages mapped on the host
  // (the hog touched them) = ~60 ns per spte write-protected (a cache miss plus the update).
  logStartNsPerMappedPage: 60,
  // KVM_GET_DIRTY_LOG copies a bitmap of RAM/32768 bytes; QEMU merges it a word at a time.
  syncNsPerPage: 0.5,
  // Re-write-protecting each page reported dirty.
  syncNsPerDirtyPage: 50,
  // vm_stop: pause the vCPUs, bdrv_drain_all, flush.
  vmStopMs: 10,
  // CPU state, virtio, VGA, PCI and timer vmstate of a small PC guest.
  deviceStateBytes: 256 << 10,
  // Interrupt injection to the balloon's work item running in the guest.
  guestIrqMs: 0.02,
  // ioeventfd kick to QEMU's virtqueue handler in the main loop.
  deviceNotifyMs: 0.02,
  // One node of a free list: a dependent load of a cold struct page (DRAM latency on Haswell-EP ~90 ns).
  walkNsPerBlock: 100,
  // The RFC thread: ~20 ms to walk the free lists of an 8 GB guest, i.e. ~2 M free pages at ~10 ns
  // per set_bit.
  walkNsPerFreePage: 10,
  // memcpy of the bitmap into QEMU's buffer.
  memcpyBytesPerMs: 5e6,
  // ram_save_setup waits for the guest with usleep(1000) between polls.
  pollIntervalMs: 1,
  // pagemap_read: a page-table walk and an 8-byte copy per page, ~2 M entries per 30 ms. Not
  // measured in the RFC thread; an estimate of the same order as the bitmap walk.
  pagemapNsPerPage: 15,
  // Not part of the RFC's testbed (hinting came with QEMU 4.0); estimates: alloc_pages(order 10)
  // ~1 us plus a kick, a VM exit of ~2 us on Haswell-EP.
  hintGuestNsPerBlock: 3000,
  // virtqueue_pop/push plus a 1024-bit bitmap clear under bitmap_mutex.
  hintDeviceNsPerBuffer: 2000,
};

export const PROFILES: Readonly<Record<string, HostProfile>> = {
  [RFC_2016.id]: RFC_2016,
};

export function getProfile(id: string): HostProfile {
  const p = ownValue(PROFILES, id);
  if (!p) throw new RangeError(`unknown profile "${id}"; known: ${Object.keys(PROFILES).join(', ')}`);
  return p;
}
