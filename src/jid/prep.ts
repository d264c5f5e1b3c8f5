// PLACEHOLDER (owned by the JID/stringprep helper): real nodeprep/nameprep/resourceprep/saslprep go here.
export class PrepError extends Error {}
export function nodeprep(s: string): string { return s.normalize("NFKC").toLowerCase(); }
export function nameprep(s: string): string { return s.normalize("NFKC").toLowerCase(); }
export function resourceprep(s: string): string { return s.normalize("NFKC"); }
export function saslprep(s: string): string { return s.normalize("NFKC"); }
