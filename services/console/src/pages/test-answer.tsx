import type { TestAnswer } from '../api';
import { Json } from '../parts/field';
import { href } from '../router';
import { LogList } from './log-list';

/** A test run's answer: status, headers, body (JSON pretty-printed, images shown), logs, and its process. */
export function TestAnswerView(props: { answer: TestAnswer }) {
  const { answer } = props;
  const contentType = String(answer.headers['content-type'] ?? '');
  return (
    <section class="answer" aria-label="Answer">
      <h3>
        Answer: <span class={answer.status < 400 ? 'ok' : 'bad'}>{answer.status}</span>
      </h3>
      <h4>Headers</h4>
      <Json value={answer.headers} label="Answer headers" />
      <h4>Body</h4>
      <AnswerBody answer={answer} contentType={contentType} />
      {answer.process && (
        <>
          <h4>Logs</h4>
          <LogList logs={answer.process.logs} />
          <p>
            <a href={href('processes', answer.process.id)}>Test process {answer.process.id}</a>
          </p>
        </>
      )}
    </section>
  );
}

function AnswerBody(props: { answer: TestAnswer; contentType: string }) {
  const { answer, contentType } = props;
  if (contentType.startsWith('image/')) {
    const data = answer.bodyEncoding === 'base64' ? `;base64,${answer.body}` : `,${encodeURIComponent(answer.body)}`;
    return <img class="answer-image" alt="Answer body" src={`data:${contentType.split(';')[0]}${data}`} />;
  }
  if (answer.bodyEncoding === 'base64') return <pre class="json" aria-label="Answer body">{`(${answer.body.length} base64 characters of binary)`}</pre>;
  if (/json/.test(contentType)) {
    try {
      return <Json value={JSON.parse(answer.body)} label="Answer body" />;
    } catch {
      // Not JSON after all: shown as it is.
    }
  }
  return <pre class="json" aria-label="Answer body">{answer.body}</pre>;
}
