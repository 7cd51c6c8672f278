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
  /** downtime-limit when the scenario does not set one, ms. */
  readonly defaultDowntimeMs: number;
  /** How query-migrate's expected-downtime is computed by this testbed's QEMU. */
  readonly expectedDowntime: 'dirty-rate-over-bandwidth' | 'remaining-at-sync-over-bandwidth';
  /** TCP goodput as a fraction of the line rate. */
  readonly linkEfficiency: number;
  /**
   * Both ends on one host over the loopback device: sending costs the migration thread the
   * socket's copy and protocol work (bytes / goodput) instead of overlapping with a NIC.
   */
  readonly loopback: boolean;
  /** Kernel socket send buffer: how far the migration thread may run ahead of the wire, bytes. */
  readonly socketBufferBytes: number;

  /** Migration thread CPU per zero page: buffer_is_zero must read all 4096 bytes, ns. */
  readonly zeroPageNs: number;
  /** Migration thread CPU per data page: zero check exits early, 4 KiB copied into the QEMUFile, ns. */
  readonly dataPageNs: number;
  /** Migration thread CPU per page sent for taking the migration bitmap's lock (0: no lock), ns. */
  readonly bitmapLockNsPerPage: number;
  /** find_next_bit over one 32-page bitmap word with nothing set, ns. */
  readonly scanNsPerWord: number;

  /** migrate command to the start of RAM setup: connection, savevm header, device setup, ms. */
  readonly setupFixedMs: number;
  /** Allocating and filling the migration bitmap, per guest page, ns. */
  readonly bitmapInitNsPerPage: number;
  /** KVM_MEM_LOG_DIRTY_PAGES on: visiting every gfn's rmap head at the 4 KiB level, per guest page, ns. */
  readonly logStartNsPerPage: number;
  /** ... and write-protecting (or D-bit clearing) one 4 KiB spte, per page the host maps in 4 KiB units, ns. */
  readonly logStartNsPer4kSpte: number;
  /** ... and write-protecting one 2 MiB spte, per huge mapping, ns. */
  readonly logStartNsPerHugeSpte: number;
  /**
   * The host backs guest RAM with transparent huge pages (QEMU madvises MADV_HUGEPAGE on guest RAM,
   * host THP enabled): an aligned 2 MiB region the guest touched is one 2 MiB mapping.
   */
  readonly hostHugePages: boolean;
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
  /** report mode, guest: take one free block off its list into the report's scatterlist, ns. */
  readonly reportGuestNsPerBlock: number;
  /** report mode, guest: add the report to the reporting virtqueue and kick (a VM exit), ns. */
  readonly reportGuestNsPerReport: number;
  /** report mode, QEMU: pop the report, push it used, notify, ns. */
  readonly reportDeviceNsPerReport: number;
  /** report mode, QEMU: MADV_DONTNEED of one page the host has mapped (zap the PTE, free the page), ns. */
  readonly discardNsPerMappedPage: number;
}

/** wang-2018's derived constants (see WANG_2018). */
const WANG_ZERO_PAGE_NS = 737;
const WANG_SETUP_FIXED_MS = 56;

export const RFC_2016: HostProfile = {
  id: 'rfc-2016',
  title: 'RFC 2016 testbed: E5-2699 v3, QEMU 2.5/2.6, 10 GbE',
  // Intel X540-AT2.
  defaultLinkGbps: 10,
  // The RFC moved 8.3 GB in 7.4 s, so max-bandwidth was raised above line rate: 10 Gbit/s in MiB/s.
  defaultMaxBandwidthMiBs: 1192,
  // QEMU's default downtime-limit (300 ms); the RFC does not say it changed it.
  defaultDowntimeMs: 300,
  // 2.5's migration_thread: s->expected_downtime = s->dirty_bytes_rate / bandwidth.
  expectedDowntime: 'dirty-rate-over-bandwidth',
  // TCP over Ethernet, MTU 1500: 1448 payload bytes (MSS with timestamps) per 1538 bytes on the wire.
  linkEfficiency: 1448 / 1538,
  // Two hosts, a NIC between them: the NIC's DMA overlaps with the migration thread.
  loopback: false,
  // Linux tcp_wmem maximum (4 MiB) with send-buffer autotuning.
  socketBufferBytes: 4 << 20,
  // Derived from case 1 original, the CPU-bound cell: ~1745 ms of bulk stage for ~2.0 M zero pages
  // = 0.8 us per page, i.e. buffer_is_zero at ~5 GB/s (a minor fault on untouched host memory included).
  zeroPageNs: 800,
  // Zero check exits at the first word, 4 KiB memcpy into the QEMUFile buffer (~10 GB/s), header, writev share.
  dataPageNs: 1000,
  // 2.5's send loop clears a page's bit with test_and_clear_bit, no lock (migration_bitmap_clear_dirty).
  bitmapLockNsPerPage: 0,
  // find_next_bit: one load and test per 32 clean pages.
  scanNsPerWord: 1,
  // Derived from case 1 pv: 421 ms - 338 ms of every other modelled cost (setup: bitmap, log start
  // 2.4 ms, free-list walk 22 ms; ~299 ms of wire for 353 MB; syncs, stop) = 83 ms. Consistent
  // with 2.5's setup: savevm header and device setup, each memslot update waiting for an SRCU
  // grace period.
  setupFixedMs: 83,
  // bitmap_new + bitmap_set over 2 Mi bits: a memset.
  bitmapInitNsPerPage: 0.1,
  // kvm_mmu_slot_remove_write_access visits every gfn's rmap head (8 bytes, read in gfn order): one
  // core streams ~8 GB/s, ~1 ns per gfn.
  logStartNsPerPage: 1,
  // Measured: Jay Zhou, "KVM: x86: enable dirty log gradually in small chunks" (kvm list, 2020,
  // commit 3c9bd4006bfc): memory_global_dirty_log_start of a 128 GiB guest took 460 ms, i.e.
  // 460 ms / 32 Mi pages = 13.7 ns per 4 KiB spte, of which ~1 ns is the rmap visit above: 13 ns.
  logStartNsPer4kSpte: 13,
  // Measured: Keqian Zhu, "KVM: arm64: Support enabling dirty log gradually in small chunks" (2020,
  // commit c862626e19ef): 128 GiB guest with 127 GiB touched, 2 MiB pages: 4 ms for 65 024 huge
  // mappings = 61 ns per 2 MiB spte (4 KiB pages: 650 ms, 20 ns per spte, the same order as Zhou).
  logStartNsPerHugeSpte: 61,
  // QEMU has madvised guest RAM MADV_HUGEPAGE since 1.x (ram_block_add), and host kernels of 2016
  // (4.2) enable THP; the RFC's host kernel config is not published.
  hostHugePages: true,
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
  // Not part of the RFC's testbed either (free page reporting came with Linux 5.7 / QEMU 5.1):
  // estimates, and no published measurement exists (the v17 cover letter gives only throughput
  // effects). Isolating a block touches its cold struct page, as one free-list node does.
  reportGuestNsPerBlock: 100,
  // virtqueue_add_inbuf of up to 32 entries plus a kick, a VM exit of ~2 us on Haswell-EP.
  reportGuestNsPerReport: 3000,
  // virtqueue_pop/push and virtio_notify, as for one hint buffer.
  reportDeviceNsPerReport: 2000,
  // zap_pte_range plus returning the page to the host's allocator: ~100 ns per mapped 4 KiB page
  // (an estimate of the same order as one cache-missing page-table update and one page free).
  discardNsPerMappedPage: 100,
};

/**
 * `wang-2018`: the testbed of Wei Wang's free page hint series (Linux, v29 2018-03-26 to v36
 * 2018-07-20): Xeon E5-2699 v4 (Broadwell-EP, 2.2 GHz), 8 GiB guest with 4 vCPUs, QEMU of that
 * era with the series' QEMU side, both ends on one host (local migration), `migrate_set_speed
 * 100G`, `migrate_set_downtime 2`. Hardware-independent constants are those of rfc-2016 (same
 * code, same per-page work); what differs says why.
 */
export const WANG_2018: HostProfile = {
  ...RFC_2016,
  id: 'wang-2018',
  title: 'Wang 2018 testbed: E5-2699 v4, QEMU 2.12 era, loopback',
  // Local migration: the stream goes over the loopback device. A single TCP stream over lo moves
  // ~40 Gbit/s on a Broadwell-EP core (two memcpys per byte, sender and receiver; iperf on lo
  // reports 30 to 50 Gbit/s on such hosts): an estimate, the letters do not measure it.
  defaultLinkGbps: 40,
  // lo has a 65 536-byte MTU: 65 483 bytes of payload (MSS with timestamps) per 65 536.
  linkEfficiency: 65483 / 65536,
  // "local migration": source and destination QEMU on the same host.
  loopback: true,
  // migrate_set_speed 100G: HMP's suffix G is GiB, 100 GiB/s.
  defaultMaxBandwidthMiBs: 100 * 1024,
  // migrate_set_downtime 2 (seconds).
  defaultDowntimeMs: 2000,
  // QEMU 2.12/3.0 migration_update_counters: expected_downtime = ram_counters.remaining / bandwidth.
  expectedDowntime: 'remaining-at-sync-over-bandwidth',
  // The series' QEMU side takes rs->bitmap_mutex around each page's clear in
  // migration_bitmap_clear_dirty ("migration: use bitmap_mutex in migration_bitmap_clear_dirty"),
  // because the hint path clears bits from another thread: an uncontended pthread mutex lock and
  // unlock, two atomic read-modify-writes of ~20 cycles each at 2.2 GHz, ~20 ns.
  bitmapLockNsPerPage: 20,
  // Derived from the idle legacy cell (v29: 1769 ms), the CPU-bound one: see README, "Model and
  // calibration", wang-2018.
  zeroPageNs: WANG_ZERO_PAGE_NS,
  // Derived from the idle hinting cell (v29: 261 ms): see README.
  setupFixedMs: WANG_SETUP_FIXED_MS,
  // Broadwell has PML: KVM clears the D bit of each 4 KiB spte instead of write-protecting it
  // (vmx_slot_enable_log_dirty); Zhou's 13.7 ns per spte was measured on the same mechanism
  // (Xeon Gold 6152, PML), so rfc-2016's 13 ns and 61 ns apply.
};

export const PROFILES: Readonly<Record<string, HostProfile>> = {
  [RFC_2016.id]: RFC_2016,
  [WANG_2018.id]: WANG_2018,
};

export function getProfile(id: string): HostProfile {
  const p = ownValue(PROFILES, id);
  if (!p) throw new RangeError(`unknown profile "${id}"; known: ${Object.keys(PROFILES).join(', ')}`);
  return p;
}
