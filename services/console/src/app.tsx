import { useEffect, useState } from 'preact/hooks';
import { SIGNED_OUT_EVENT, session } from './api';
import { EndpointPage } from './pages/endpoint-page';
import { EndpointsPage } from './pages/endpoints-page';
import { ProcessPage } from './pages/process-page';
import { ProcessesPage } from './pages/processes-page';
import { ScenarioPage } from './pages/scenario-page';
import { ScenariosPage } from './pages/scenarios-page';
import { SecretsPage } from './pages/secrets-page';
import { href, useRoute } from './router';
import { SignIn } from './sign-in';

const SECTIONS = [
  ['endpoints', 'Endpoints'],
  ['scenarios', 'Scenarios'],
  ['secrets', 'Secrets'],
  ['processes', 'Processes'],
] as const;

/** The sign-in form until a token is kept, then the navigation and the page the hash names. */
export function App() {
  const [signedIn, setSignedIn] = useState(session.token() !== null);
  const [section = 'endpoints', id] = useRoute();
  useEffect(() => {
    const onSignedOut = () => setSignedIn(false);
    addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, []);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  return (
    <>
      <header class="top">
        <strong class="brand">webrequests</strong>
        <nav aria-label="Sections">
          {SECTIONS.map(([path, label]) => (
            <a key={path} href={href(path)} aria-current={section === path ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <button type="button" class="link" onClick={session.signOut}>
          Sign out
        </button>
      </header>
      <main class="page">
        <Route section={section} id={id} />
      </main>
    </>
  );
}

function Route(props: { section: string; id: string | undefined }) {
  const { section, id } = props;
  switch (section) {
    case 'scenarios':
      return id ? <ScenarioPage key={id} id={id} /> : <ScenariosPage />;
    case 'secrets':
      return <SecretsPage />;
    case 'processes':
      return id ? <ProcessPage key={id} id={id} /> : <ProcessesPage />;
    case 'endpoints':
    default:
      return id ? <EndpointPage key={id} id={id} /> : <EndpointsPage />;
  }
}
