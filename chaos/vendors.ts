/**
 * The vendors a chaos run's Firebreak talks to: the test suite's stubs (Jira, Slack for
 * channels and direct messages, Zoom, Statuspage, PagerDuty, GitHub) and moto for ECS, each
 * on a free loopback port in this process, so the run can count their side effects and make
 * them fail. The settings that point Firebreak's real adapters at them are handed to the
 * cluster's processes through their environment.
 */
import { createEcsClient } from '../activities/ecs-service';
import { type Fault, type StubServer } from '../test/vendors/stub-server';
import { githubSettings, startGithubStub } from '../test/vendors/github';
import { jiraSettings, startJiraStub } from '../test/vendors/jira';
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from '../test/vendors/moto';
import { pagerDutySettings, startPagerDutyStub } from '../test/vendors/pagerduty';
import { slackDmSettings, slackSettings, startSlackStub } from '../test/vendors/slack';
import { startStatuspageStub, statuspageSettings } from '../test/vendors/statuspage';
import { startZoomStub, zoomSettings } from '../test/vendors/zoom';

/** The repository the GitHub stub serves; rollbacks name it as their scope. */
export const GITHUB_SCOPE = { owner: 'acme', repo: 'shop' } as const;

/**
 * Every route of each stub a fault round may fail, by vendor: the stubs keep their route
 * table private, and a fault is queued per route.
 */
const ROUTES = {
  jira: ['createIssue', 'searchJql', 'searchLegacy', 'getIssue', 'listTransitions', 'transition', 'listComments', 'addComment'],
  slack: [
    'conversations.list',
    'conversations.create',
    'conversations.setTopic',
    'conversations.info',
    'conversations.members',
    'conversations.invite',
    'conversations.history',
    'conversations.open',
    'chat.postMessage',
    'chat.update',
    'pins.add',
  ],
  zoom: ['token', 'listMeetings', 'createMeeting'],
  statuspage: ['listIncidents', 'createIncident', 'getIncident', 'updateIncident', 'listComponents', 'updateComponent'],
  pagerduty: ['enqueue'],
  github: ['listDeployments', 'createDeployment', 'listStatuses'],
} as const;
export type StubName = keyof typeof ROUTES;

export type Vendors = Awaited<ReturnType<typeof startVendors>>;

/** Starts every stub and moto; `stop` ends them all. */
export async function startVendors() {
  // Large pages: the adapters list channels and meetings to find their own, and a run makes hundreds.
  const [jira, slack, zoom, statuspage, pagerduty, github, moto] = await Promise.all([
    startJiraStub(),
    startSlackStub({ pageSize: 1000 }),
    startZoomStub({ pageSize: 300 }),
    startStatuspageStub(),
    startPagerDutyStub(),
    startGithubStub(GITHUB_SCOPE.owner, GITHUB_SCOPE.repo),
    startMoto({ runningTasks: 2 }),
  ]);
  // Two good releases to roll back to, as a CD system would have left them.
  github.seed('1'.repeat(40), 'v41', ['in_progress', 'success']);
  github.seed('2'.repeat(40), 'v42', ['in_progress', 'success']);
  const ecs = createEcsClient({ region: MOTO_REGION, endpoint: moto.url }, 10_000, MOTO_CREDENTIALS);
  const stubs: Record<StubName, StubServer> = {
    jira: jira.stub,
    slack: slack.stub,
    zoom: zoom.stub,
    statuspage: statuspage.stub,
    pagerduty: pagerduty.stub,
    github: github.stub,
  };
  return {
    jira,
    slack,
    zoom,
    statuspage,
    pagerduty,
    github,
    moto,
    ecs,
    stubs,
    /** The environment that points Firebreak's real adapters at these vendors. */
    settings(): Record<string, string> {
      return {
        ...jiraSettings(jira.stub.url),
        ...slackSettings(slack.stub.url),
        ...slackDmSettings(slack.stub.url),
        ...zoomSettings(zoom.stub.url),
        ...statuspageSettings(statuspage.stub.url),
        ...pagerDutySettings(pagerduty.stub.url),
        ...githubSettings(github.stub.url),
        SCALING_PROVIDER: 'ecs',
        AWS_REGION: MOTO_REGION,
        AWS_ENDPOINT_URL_ECS: moto.url,
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        // Waits that look every second, so a runbook takes seconds and a fault meets it mid-way.
        DEPLOY_POLL_INTERVAL_MS: '1000',
        ECS_POLL_INTERVAL_MS: '1000',
        ECS_WAIT_TIMEOUT_MS: '120000',
        // A hung vendor call gives up (and is retried) after this, well inside a round.
        INTEGRATIONS_TIMEOUT_MS: '5000',
      };
    },
    /** Every route of `name` meets `faults` in turn, over and over, until {@link heal}. */
    failAll(name: StubName, faults: Fault[]): void {
      for (const route of ROUTES[name]) stubs[name].fail(route, ...Array.from({ length: 10_000 }, (_, i) => faults[i % faults.length]));
    },
    heal(name: StubName): void {
      stubs[name].heal();
    },
    async stop(): Promise<void> {
      ecs.destroy();
      // moto's process is unref'd: while it stops, the stubs' servers keep this process alive.
      await moto.stop();
      await Promise.all(Object.values(stubs).map((stub) => stub.stop()));
    },
  };
}
