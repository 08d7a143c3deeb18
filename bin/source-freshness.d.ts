/** The newest modification time of these files and of everything under these folders (0 for none). */
export function newestMtime(paths: readonly string[]): number;
