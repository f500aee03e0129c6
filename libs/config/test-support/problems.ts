import { ConfigError, loadServiceConfig } from '@webrequests/config';

/** The problems loadServiceConfig names for `env`, one per bad variable; empty when it loads. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
