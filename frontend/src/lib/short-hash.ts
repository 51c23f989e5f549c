/** The short form of a plan's SHA-256 people compare at a glance (the full hash is what is sent). */
export const shortHash = (sha256: string) => sha256.slice(0, 12);
