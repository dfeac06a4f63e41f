/**
 * Every Firebreak activity, built from validated integration settings: for each capability
 * the configured adapter (a real vendor client, or the built-in local one) behind its port.
 * Workflows import the *type* {@link FirebreakActivities} only.
 */
import type { Client } from '@temporalio/client';
import type { CapabilityActivities } from '../core/model/capabilities/activities';
import type { Responder } from '../core/model/oncall/types';
import type { IntegrationsConfig } from '../core/schemas/integrations-config';
import { createSlackClient, SlackChat } from './chat/slack';
import { LocalChat } from './chat/local';
import { TeamsChat } from './chat/teams';
import { type ChatPort, createChatActivities } from './chat/port';
import { createEcsClient, EcsServices } from './ecs-service';
import { EcsDeploy } from './deploy/ecs';
import { createGithubClient, GithubDeploy } from './deploy/github';
import { LocalDeploy } from './deploy/local';
import { createOctopusApi, OctopusDeploy } from './deploy/octopus';
import { NoHostsHttp } from './http/local';
import { NodeHttp } from './http/node-http';
import { createHttpActivities, type HttpPort } from './http/port';
import { createDeployActivities, type DeployPort } from './deploy/port';
import { createSmtpTransport, SmtpEmailChannel } from './notification/email';
import { LocalNotificationChannel } from './notification/local';
import { type AckLinkSettings, testAckLinks } from './notification/message';
import { Notifier } from './notification/notifier';
import { createNotificationActivities, type NotificationPort } from './notification/port';
import { SlackDmChannel } from './notification/slack';
import { createTwilioClient, TwilioSmsChannel, TwilioVoiceChannel } from './notification/twilio';
import { connectKubernetes } from './kubernetes/connect';
import { LocalKubernetes } from './kubernetes/local';
import { createKubernetesActivities, type KubernetesPort } from './kubernetes/port';
import { CloudWatchMonitoring, createCloudWatchClient } from './monitoring/cloudwatch';
import { LocalMonitoring } from './monitoring/local';
import { createMonitoringActivities, type MonitoringPort } from './monitoring/port';
import { LocalPaging } from './paging/local';
import { createPagerDutyApi, PagerDutyPaging } from './paging/pagerduty';
import { createPagingActivities, type PagingPort } from './paging/port';
import { EcsScaling } from './scaling/ecs';
import { LocalScaling } from './scaling/local';
import { createScalingActivities, type ScalingPort } from './scaling/port';
import { LocalSsm } from './ssm/local';
import { createSsmActivities, type SsmPort } from './ssm/port';
import { createSsmClient, SsmRunCommand } from './ssm/ssm';
import { LocalStatusPage } from './status-page/local';
import { createStatusPageActivities, type StatusPagePort } from './status-page/port';
import { createStatuspageApi, StatuspageStatusPage } from './status-page/statuspage';
import { createJiraClient, JiraTicketing } from './ticketing/jira';
import { LocalTicketing } from './ticketing/local';
import { createTicketingActivities, type TicketingPort } from './ticketing/port';
import { LocalVideo } from './video/local';
import { createVideoActivities, type VideoPort } from './video/port';
import { TeamsVideo } from './video/teams';
import { createZoomApi, ZoomVideo } from './video/zoom';
import { GraphApi } from './teams/graph';

export interface ActivityDeps {
  config: IntegrationsConfig;
  /** For the local status page, whose state is a workflow; on the worker's namespace. */
  temporal: Client;
  /** The people notifications reach, by id (`runbooks/responders.ts`). @default none */
  responders?: ReadonlyMap<string, Responder>;
  /**
   * How acknowledgement links are signed and where they point: the ack secret the API
   * verifies with and its public URL. The default (a random secret, `http://127.0.0.1:3000`)
   * is for tests only: its links verify nowhere.
   */
  ackLinks?: AckLinkSettings;
}

/** The adapter behind each port, as configured. */
export function createPorts({ config, temporal, responders = new Map(), ackLinks = testAckLinks() }: ActivityDeps) {
  const { timeoutMs } = config;
  const ticketing: TicketingPort =
    config.ticketing.provider === 'jira'
      ? new JiraTicketing(createJiraClient(config.ticketing, timeoutMs), config.ticketing)
      : new LocalTicketing();
  const chat: ChatPort =
    config.chat.provider === 'slack'
      ? new SlackChat(createSlackClient(config.chat, timeoutMs), config.chat)
      : config.chat.provider === 'teams'
        ? new TeamsChat(new GraphApi(config.chat, timeoutMs), config.chat)
        : new LocalChat();
  const video: VideoPort =
    config.video.provider === 'zoom'
      ? new ZoomVideo(createZoomApi(config.video, timeoutMs), config.video.userId)
      : config.video.provider === 'teams'
        ? new TeamsVideo(new GraphApi(config.video, timeoutMs), config.video)
        : new LocalVideo(config.video);
  const statusPage: StatusPagePort =
    config.statusPage.provider === 'statuspage'
      ? new StatuspageStatusPage(createStatuspageApi(config.statusPage, timeoutMs), config.statusPage.pageId)
      : new LocalStatusPage(temporal);
  const deploy: DeployPort =
    config.deploy.provider === 'github'
      ? new GithubDeploy(createGithubClient(config.deploy, timeoutMs), config.deploy)
      : config.deploy.provider === 'ecs'
        ? new EcsDeploy(new EcsServices(createEcsClient(config.deploy, timeoutMs), config.deploy))
        : config.deploy.provider === 'octopus'
          ? new OctopusDeploy(createOctopusApi(config.deploy, timeoutMs), config.deploy)
          : new LocalDeploy();
  const scaling: ScalingPort =
    config.scaling.provider === 'ecs'
      ? new EcsScaling(new EcsServices(createEcsClient(config.scaling, timeoutMs), config.scaling))
      : new LocalScaling();
  const paging: PagingPort =
    config.paging.provider === 'pagerduty'
      ? new PagerDutyPaging(createPagerDutyApi(config.paging, timeoutMs), config.paging)
      : new LocalPaging();
  const monitoring: MonitoringPort =
    config.monitoring.provider === 'cloudwatch'
      ? new CloudWatchMonitoring(createCloudWatchClient(config.monitoring, timeoutMs))
      : new LocalMonitoring();
  const kubernetes: KubernetesPort =
    config.kubernetes.provider === 'kubernetes' ? connectKubernetes(config.kubernetes, timeoutMs) : new LocalKubernetes();
  const local = new LocalNotificationChannel();
  const notification: NotificationPort = new Notifier(
    {
      slack: config.slackDm.provider === 'slack' ? new SlackDmChannel(createSlackClient(config.slackDm, timeoutMs), config.slackDm) : local,
      email: config.email.provider === 'smtp' ? new SmtpEmailChannel(createSmtpTransport(config.email, timeoutMs), config.email) : local,
      sms: config.sms.provider === 'twilio' ? new TwilioSmsChannel(createTwilioClient(config.sms, timeoutMs), config.sms) : local,
      voice: config.voice.provider === 'twilio' ? new TwilioVoiceChannel(createTwilioClient(config.voice, timeoutMs), config.voice) : local,
    },
    responders,
    ackLinks,
  );
  const ssm: SsmPort =
    config.ssm.provider === 'ssm' ? new SsmRunCommand(createSsmClient(config.ssm, timeoutMs), config.ssm) : new LocalSsm();
  const http: HttpPort = config.http.allowedHosts.length > 0 ? new NodeHttp({ settings: config.http, timeoutMs }) : new NoHostsHttp();
  return { ticketing, chat, video, statusPage, deploy, scaling, paging, monitoring, kubernetes, notification, ssm, http };
}

/** Every activity the worker registers, by the names workflows call. */
export function createActivities(deps: ActivityDeps) {
  const ports = createPorts(deps);
  return {
    ...createTicketingActivities(ports.ticketing),
    ...createChatActivities(ports.chat),
    ...createVideoActivities(ports.video),
    ...createStatusPageActivities(ports.statusPage),
    ...createDeployActivities(ports.deploy),
    ...createScalingActivities(ports.scaling),
    ...createPagingActivities(ports.paging),
    ...createMonitoringActivities(ports.monitoring),
    ...createKubernetesActivities(ports.kubernetes),
    ...createNotificationActivities(ports.notification),
    ...createSsmActivities(ports.ssm),
    ...createHttpActivities(ports.http),
  } satisfies CapabilityActivities;
}

export type FirebreakActivities = ReturnType<typeof createActivities>;
