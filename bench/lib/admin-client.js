'use strict';

/** The few admin API calls the bench needs (SPEC §5), over fetch with the bearer token. */
class AdminClient {
  constructor(baseUrl, token) {
    this.baseUrl = baseUrl;
    this.headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  }

  async call(method, path, body) {
    const response = await fetch(`${this.baseUrl}/api/admin${path}`, {
      method,
      headers: this.headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  }

  /** Registers a scenario and an endpoint running it; answers both records. */
  async register({ name, urlId, source, extra = {} }) {
    const scenario = await this.call('POST', '/scenarios', { name, source, description: 'created by npm run bench' });
    const endpoint = await this.call('POST', '/webrequests', { name, urlId, scriptId: scenario.id, description: 'created by npm run bench', ...extra });
    return { scenario, endpoint };
  }

  async unregister({ scenario, endpoint }) {
    await this.call('DELETE', `/webrequests/${endpoint.id}`);
    await this.call('DELETE', `/scenarios/${scenario.id}`);
  }

  /** True when no process record is `queued` or `running`. */
  async idle() {
    const [queued, running] = await Promise.all([
      this.call('GET', '/processes?status=queued&limit=1'),
      this.call('GET', '/processes?status=running&limit=1'),
    ]);
    return queued.items.length === 0 && running.items.length === 0;
  }

  getProcess(id) {
    return this.call('GET', `/processes/${encodeURIComponent(id)}`);
  }
}

module.exports = { AdminClient };
