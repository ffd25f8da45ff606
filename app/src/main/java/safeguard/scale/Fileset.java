package safeguard.scale;

/**
 * A fileset as Scale lists it (GET /filesystems/{fs}/filesets?fields=:all:, its {@code config}, field names as
 * the CSI driver's FilesetConfig_v2 reads them): where it is linked ({@code junction}, null when unlinked), the
 * inode space it belongs to, and whether it owns that space (an independent fileset) or shares its parent's (a
 * dependent one). Scale takes fileset snapshots of independent filesets only (storage-apis.md §1a).
 */
public record Fileset(String name, String junction, long inodeSpace, boolean independent) {
}
