// A tracked link: remembers the campaign and counts visits in cookies (Set-Cookie), then redirects (302)
// to the page. Only paths of the site and https pages on the hosts listed below are followed, so the
// link cannot be turned into an open redirect to anywhere.
// Try: curl -si 'http://localhost:8080/api/webrequest/links/go?to=/pricing&campaign=spring'
const SITE = 'https://www.example.com';
const ALLOWED_HOSTS = ['www.example.com', 'docs.example.com'];

let location = SITE + '/';
const to = String(query.to ?? '/');
try {
  const target = new URL(to, SITE);
  if (target.protocol === 'https:' && ALLOWED_HOSTS.includes(target.hostname)) location = target.href;
} catch {
  // Not a URL: the home page.
}
const campaign = String(query.campaign ?? 'none').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) || 'none';
const visits = (Number.parseInt(cookies.wr_visits ?? '0', 10) || 0) + 1;

return {
  $status: 302,
  $headers: {
    Location: location,
    'Set-Cookie': [
      `wr_campaign=${campaign}; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax`,
      `wr_visits=${visits}; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax`,
    ],
    'Cache-Control': 'no-store',
  },
  $body: null,
};
