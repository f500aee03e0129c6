/** Thrown for a mistake of the person at the keyboard: the catalog command prints its message alone and exits 1. */
export class CommandError extends Error {}
