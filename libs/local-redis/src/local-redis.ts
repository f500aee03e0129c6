/** A Redis that a process can use, and the means to let it go. */
export interface LocalRedis {
  /** Where to connect, e.g. `redis://127.0.0.1:41234`. */
  readonly url: string;
  /** True when this process started the server (and `stop()` ends it); false for a given URL. */
  readonly started: boolean;
  /**
   * Ends the server this process started: SIGTERM, then SIGKILL if it has not exited within
   * 5 seconds. Does nothing for a Redis that was given by URL. Calling it twice is harmless.
   */
  stop(): Promise<void>;
}

/** How {@link obtainRedis} may find a Redis. Every field is optional. */
export interface ObtainRedisOptions {
  /** A Redis to use as is (callers pass `REDIS_URL`); an empty string counts as unset. */
  url?: string;
  /** Receives one line per event worth telling a person (start, install). Default: stderr. */
  log?: (line: string) => void;
  /** Whether root on Debian/Ubuntu may `apt-get install redis-server` when it is missing. Default true. */
  allowInstall?: boolean;
  /** PATH-style folder list searched for `redis-server`. Default: this process's PATH. */
  searchPath?: string;
  /** How long a started server has to answer PING, in milliseconds. Default 10 000. */
  startTimeoutMs?: number;
}
