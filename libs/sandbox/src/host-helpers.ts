import { TextDecoder, TextEncoder } from 'node:util';

/** The host classes a scenario sees as globals, through vm2's proxies. */
export interface HostHelpers {
  URL: typeof URL;
  URLSearchParams: typeof URLSearchParams;
  TextEncoder: typeof TextEncoder;
  TextDecoder: typeof TextDecoder;
}

/** Freezes an object and the functions it holds (methods, getters, setters), one level deep. */
export function freezeWithMethods<T extends object>(object: T): T {
  for (const key of Reflect.ownKeys(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    for (const part of [descriptor?.value, descriptor?.get, descriptor?.set]) {
      if (typeof part === 'function') Object.freeze(part);
    }
  }
  return Object.freeze(object);
}

let frozen: HostHelpers | null = null;

/**
 * The helper classes, frozen on first use. vm2 passes a scenario's writes to a host object through to
 * it (`URL.prototype.x = 1` lands on this thread's own `URL.prototype`), and every VM of the thread
 * shares these classes, so without this one run could plant something the next one sees. Freezing
 * them in place is safe because this thread runs nothing but scenarios. The iterator prototype of
 * URLSearchParams is reached through an instance: it is shared the same way.
 */
export function hostHelpers(): HostHelpers {
  if (frozen) return frozen;
  const helpers: HostHelpers = { URL, URLSearchParams, TextEncoder, TextDecoder };
  for (const helper of Object.values(helpers) as Array<{ prototype: object }>) {
    freezeWithMethods(helper.prototype);
    freezeWithMethods(helper);
  }
  freezeWithMethods(Object.getPrototypeOf(new URLSearchParams().entries()) as object);
  frozen = helpers;
  return helpers;
}
