/**
 * Jira REST v2 as the Jira adapter uses it (Jira Cloud platform REST API reference):
 * create issue, JQL search (Cloud's `/search/jql` and Data Center's `/search`), read issue,
 * transitions, comments with properties. Basic auth with email and API token.
 */
import { basicAuth, type StubRequest, StubRejection, StubServer } from './stub-server';

export const JIRA_CREDENTIALS = { email: 'bot@example.com', token: 'jira-token-s3cr3t-0123' } as const;

/** The settings that point the Jira adapter at a stub at `url`. */
export const jiraSettings = (url: string, projectKey = 'OPS') => ({
  TICKETING_PROVIDER: 'jira',
  JIRA_BASE_URL: url,
  JIRA_EMAIL: JIRA_CREDENTIALS.email,
  JIRA_API_TOKEN: JIRA_CREDENTIALS.token,
  JIRA_PROJECT_KEY: projectKey,
});

export interface JiraIssueRecord {
  id: string;
  key: string;
  fields: {
    project: string;
    summary: string;
    description: string;
    issuetype: string;
    labels: string[];
    priority?: string;
    status: string;
  };
  comments: Array<{ id: string; body: string; properties: Array<{ key: string; value: unknown }> }>;
}

const TRANSITIONS = [
  { id: '11', name: 'Start progress', to: { name: 'In Progress' } },
  { id: '21', name: 'Resolve', to: { name: 'Done' } },
];
const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];

const reject = (status: number, errors: Record<string, string>, errorMessages: string[] = []) =>
  new StubRejection({ status, body: { errorMessages, errors } });

export async function startJiraStub(projectKey = 'OPS') {
  const issues = new Map<string, JiraIssueRecord>();
  const stub = new StubServer({
    vendor: 'Jira',
    authorize: (request) => request.headers.authorization === basicAuth(JIRA_CREDENTIALS.email, JIRA_CREDENTIALS.token),
    unauthorized: { status: 401, body: { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} } },
  });

  const issue = (request: StubRequest) => {
    const found = issues.get(request.params.key);
    if (!found) throw reject(404, {}, ['Issue does not exist or you do not have permission to see it.']);
    return found;
  };

  /** The subset of JQL the adapter writes: `project = "X" AND labels = "y" ORDER BY ...`. */
  const search = (jql: string) => {
    const project = /project\s*=\s*"?([A-Z0-9_]+)"?/.exec(jql)?.[1];
    const label = /labels\s*=\s*"([^"]+)"/.exec(jql)?.[1];
    if (!project || !label) throw reject(400, {}, [`The stub does not understand this JQL: ${jql}`]);
    return [...issues.values()].filter((i) => i.fields.project === project && i.fields.labels.includes(label));
  };
  const found = (list: JiraIssueRecord[]) => list.map(({ id, key, fields }) => ({ id, key, fields: { summary: fields.summary } }));

  stub
    .route('createIssue', 'POST', '/rest/api/2/issue', ({ body }) => {
      const fields = body?.fields ?? {};
      const errors: Record<string, string> = {};
      if (fields.project?.key !== projectKey) errors.project = 'valid project is required';
      if (typeof fields.summary !== 'string' || !fields.summary) errors.summary = 'You must specify a summary of the issue.';
      else if (fields.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
      else if (/[\r\n]/.test(fields.summary)) errors.summary = 'Field cannot contain newline characters.';
      if (typeof fields.description === 'string' && fields.description.length > 32_767) errors.description = 'The entered text is too long.';
      if (typeof fields.issuetype?.name !== 'string') errors.issuetype = 'valid issue type is required';
      if (fields.description !== undefined && typeof fields.description !== 'string') errors.description = 'Operation value must be a string';
      if (!Array.isArray(fields.labels) || fields.labels.some((l: unknown) => typeof l !== 'string' || /\s/.test(l as string) || (l as string).length > 255)) {
        errors.labels = 'labels must be strings without spaces';
      }
      if (fields.priority !== undefined && !PRIORITIES.includes(fields.priority?.name)) errors.priority = 'Specify a valid priority';
      if (Object.keys(errors).length > 0) throw reject(400, errors);
      const id = String(10_000 + issues.size + 1);
      const key = `${projectKey}-${issues.size + 1}`;
      issues.set(key, {
        id,
        key,
        fields: {
          project: projectKey,
          summary: fields.summary,
          description: fields.description ?? '',
          issuetype: fields.issuetype.name,
          labels: fields.labels,
          priority: fields.priority?.name,
          status: 'To Do',
        },
        comments: [],
      });
      stub.effect('issue.create');
      return { status: 201, body: { id, key, self: `${stub.url}/rest/api/2/issue/${id}` } };
    })
    .route('searchJql', 'GET', '/rest/api/2/search/jql', ({ query }) => {
      const max = Number(query.get('maxResults') ?? 50);
      return { body: { issues: found(search(query.get('jql') ?? '')).slice(0, max), isLast: true } };
    })
    .route('searchLegacy', 'POST', '/rest/api/2/search', ({ body }) => {
      const all = found(search(body?.jql ?? ''));
      return { body: { startAt: 0, maxResults: body?.maxResults ?? 50, total: all.length, issues: all.slice(0, body?.maxResults ?? 50) } };
    })
    .route('getIssue', 'GET', '/rest/api/2/issue/:key', (request) => {
      const { id, key, fields } = issue(request);
      return { body: { id, key, fields: { summary: fields.summary, status: { name: fields.status } } } };
    })
    .route('listTransitions', 'GET', '/rest/api/2/issue/:key/transitions', (request) => {
      issue(request);
      return { body: { transitions: TRANSITIONS } };
    })
    .route('transition', 'POST', '/rest/api/2/issue/:key/transitions', (request) => {
      const target = issue(request);
      const transition = TRANSITIONS.find((t) => t.id === request.body?.transition?.id);
      if (!transition) throw reject(400, {}, ['It seems that you have tried to perform a workflow operation that is not valid.']);
      target.fields.status = transition.to.name;
      stub.effect('issue.transition');
      return { status: 204 };
    })
    .route('listComments', 'GET', '/rest/api/2/issue/:key/comment', (request) => {
      const { comments } = issue(request);
      const newestFirst = request.query.get('orderBy') === '-created' ? [...comments].reverse() : comments;
      const withProperties = request.query.get('expand')?.includes('properties');
      return {
        body: {
          startAt: 0,
          maxResults: Number(request.query.get('maxResults') ?? 50),
          total: comments.length,
          comments: newestFirst.map(({ id, body, properties }) => ({ id, body, ...(withProperties ? { properties } : {}) })),
        },
      };
    })
    .route('addComment', 'POST', '/rest/api/2/issue/:key/comment', (request) => {
      const target = issue(request);
      if (typeof request.body?.body !== 'string' || !request.body.body) throw reject(400, { comment: 'Comment body can not be empty!' });
      const comment = { id: String(target.comments.length + 1), body: request.body.body, properties: request.body.properties ?? [] };
      target.comments.push(comment);
      stub.effect('comment.create');
      return { status: 201, body: comment };
    });
  await stub.start();
  return { stub, issues };
}
