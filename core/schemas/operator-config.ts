/**
 * What operators author in `runbooks/`: alert routes, escalation policies, heartbeat
 * monitors, responders, on-call schedules, who may act from Slack and outgoing webhooks. Plain TypeScript values checked here when the
 * API and the worker start; a mistake stops start-up with a message naming the file and the
 * field.
 */
import { z } from 'zod';
import type { AlertTemplate } from '../model/alert-templates';
import { SEVERITIES, type Severity } from '../model/incident-model';
import { LEVELS, type Impact, type PriorityMatrix, type Urgency } from '../model/priority';
import { ID_PATTERN, ID_RULE, parseTarget, TARGET_FORMS } from '../model/oncall/targets';
import type { LevelNotify, Responder, Schedule } from '../model/oncall/types';
import { KEY_NAME } from './api-keys';
import { type ChatUser, ChatUsersFileSchema } from './chat-users';
import { RespondersFileSchema, SchedulesFileSchema } from './oncall-config';
import { PriorityMatrixSchema } from './priority';
import { toSubscription, type WebhookSubscription, WebhooksFileSchema } from './webhooks-config';
import { type ServiceTarget, ServicesFileSchema, toServiceTargets } from './services-config';

const NAME = z.string().regex(ID_PATTERN, ID_RULE);

/** `user:<id>`, `schedule:<id>`, `pagerduty:<service>` or a plain pager name (see parseTarget). */
const TargetSchema = z.string().min(1).refine((text) => parseTarget(text) !== undefined, `not a target: write ${TARGET_FORMS}`);

const TemplateSchema = z.custom<AlertTemplate>((value) => typeof value === 'function', {
  message: 'a function of the alert that returns text, e.g. (alert) => `${alert.labels.service} p99 above SLO`',
});

const RouteActionsSchema = z
  .object({
    /** The incident's title from its first alert; default: the alert's summary. */
    title: TemplateSchema.optional(),
    /** The incident's description from its first alert; default: none. */
    description: TemplateSchema.optional(),
    /** Service the incident is for; default: the alert's `service`. */
    service: z.string().min(1).optional(),
    /** Fixed severity; otherwise taken from the alert, then from `severityMap`, then SEV3. */
    severity: z.enum(SEVERITIES).optional(),
    /** Maps a `severity` label's values (e.g. "page", "ticket") to SEV levels. */
    severityMap: z.record(z.string().min(1), z.enum(SEVERITIES)).optional(),
    impact: z.enum(LEVELS).default('medium'),
    urgency: z.enum(LEVELS).default('medium'),
    escalationPolicy: NAME.optional(),
    runbooks: z.array(NAME).default([]),
    /** Move the incident to mitigated by itself when every alert has resolved. */
    autoMitigate: z.boolean().default(false),
    /** Alertmanager: one incident per alert group (`groupKey`) or per alert (`fingerprint`). */
    dedupBy: z.enum(['group', 'alert']).default('group'),
    /**
     * Destructive runbooks this route's alerts start act without waiting for a person's
     * approval. Off by default: an alert alone does not roll back, scale or restart.
     */
    autoRemediate: z.boolean().default(false),
  })
  .strict();

const RouteSchema = RouteActionsSchema.extend({
  name: NAME,
  /** Every label named must match; `source` matches the alert source. */
  match: z.record(z.string().min(1), z.union([z.string(), z.instanceof(RegExp)])).refine((m) => Object.keys(m).length > 0, 'a route matches at least one label'),
}).strict();

export const RoutesFileSchema = z
  .object({
    routes: z.array(RouteSchema),
    /** Catches every alert no route matched. */
    default: RouteActionsSchema,
    priorityMatrix: PriorityMatrixSchema.optional(),
  })
  .strict();
export type RoutesFile = z.input<typeof RoutesFileSchema>;
export type AlertRoute = z.infer<typeof RouteSchema>;

const LevelSchema = z
  .object({
    /** `user:<id>`, `schedule:<id>`, `pagerduty:<service>`, or a plain name for the paging provider. */
    targets: z.array(TargetSchema).min(1, 'a level pages at least one target'),
    /** How long this level has to acknowledge before the next is paged. */
    timeoutSeconds: z.number().int().min(1).max(86_400).default(300),
    /** `all`: everyone the targets resolve to; `round-robin`: one of them, the next one each round. */
    notify: z.enum(['all', 'round-robin']).default('all'),
  })
  .strict();

const EscalationPolicySchema = z
  .object({
    levels: z.array(LevelSchema).min(1, 'a policy has at least one level'),
    /** Times the whole ladder is run again after the last level times out. */
    repeat: z.number().int().min(0).max(10).default(0),
    /**
     * Who is paged through the built-in pager when the configured paging provider refuses a
     * level's page for good; default: that level's own targets.
     */
    fallback: z.array(TargetSchema).min(1, 'a fallback pages at least one target').optional(),
  })
  .strict();
export const EscalationPoliciesFileSchema = z.record(NAME, EscalationPolicySchema);
export type EscalationPoliciesFile = z.input<typeof EscalationPoliciesFileSchema>;
type EscalationLevel = z.infer<typeof LevelSchema>;
/**
 * A policy as incidents carry it. `notify` may be missing on a level: incidents opened
 * before it existed carry their policy in their history without it (read it as `all`).
 */
export type EscalationPolicy = Omit<z.infer<typeof EscalationPolicySchema>, 'levels'> & {
  name: string;
  levels: Array<Omit<EscalationLevel, 'notify'> & { notify?: LevelNotify }>;
};

/** Keys one heartbeat monitor may name: enough for a fleet's rotation, bounded for the check on every ping. */
const MAX_HEARTBEAT_SENDERS = 50;
const SENDERS_RULE = "required: the names (in API_KEYS) of the keys allowed to ping this monitor, e.g. senders: ['backup-job']";

const HeartbeatSchema = z
  .object({
    name: NAME,
    /** A ping is expected at least this often. */
    intervalSeconds: z.number().int().min(1).max(7 * 86_400),
    /** Slack past the interval before the monitor declares an incident. */
    graceSeconds: z.number().int().min(0).max(86_400).default(60),
    title: z.string().min(1).max(200).optional(),
    service: z.string().min(1).optional(),
    severity: z.enum(SEVERITIES).default('SEV2'),
    escalationPolicy: NAME.optional(),
    /** What the incident does when pings come back. */
    onRecovery: z.enum(['mitigate', 'resolve', 'record']).default('mitigate'),
    /**
     * The API keys (their names in `API_KEYS`) that may ping this monitor; any other key is
     * refused. Required: a monitor anyone could ping would hide the silence it is there for.
     */
    senders: z
      .array(z.string().regex(KEY_NAME, "an API key's name: 1-64 letters, digits, '.', '_' or '-'"), { error: SENDERS_RULE })
      .min(1, SENDERS_RULE)
      .max(MAX_HEARTBEAT_SENDERS),
  })
  .strict();
export const HeartbeatsFileSchema = z.array(HeartbeatSchema);
export type HeartbeatsFile = z.input<typeof HeartbeatsFileSchema>;
export type HeartbeatMonitor = z.infer<typeof HeartbeatSchema>;

/** Identity helpers that give authors type checking and completion in `runbooks/`. */
export const defineRoutes = (routes: RoutesFile): RoutesFile => routes;
export const defineEscalationPolicies = (policies: EscalationPoliciesFile): EscalationPoliciesFile => policies;
export const defineHeartbeats = (monitors: HeartbeatsFile): HeartbeatsFile => monitors;

/** The operator's files as the loader receives them, by path. */
export interface OperatorFiles {
  routes: { file: string; value: unknown };
  escalationPolicies: { file: string; value: unknown };
  heartbeats: { file: string; value: unknown };
  /** `runbooks/responders.ts`; default: nobody. */
  responders?: { file: string; value: unknown };
  /** `runbooks/schedules.ts`; default: no schedules. */
  schedules?: { file: string; value: unknown };
  /** `runbooks/chat-users.ts`; default: only responders with a Slack id may act from Slack. */
  chatUsers?: { file: string; value: unknown };
  /** `runbooks/webhooks.ts`; default: no subscriptions. */
  webhooks?: { file: string; value: unknown };
  /** `runbooks/services.ts`; default: no services (no remediation starts from an alert). */
  services?: { file: string; value: unknown };
  /** Runbook ids that exist, for checking the routes' `runbooks`. */
  runbookIds?: readonly string[];
}

export interface OperatorConfig {
  routes: AlertRoute[];
  defaultRoute: z.infer<typeof RouteActionsSchema>;
  priorityMatrix?: PriorityMatrix;
  escalationPolicies: Map<string, EscalationPolicy>;
  heartbeats: Map<string, HeartbeatMonitor>;
  responders: Map<string, Responder>;
  schedules: Map<string, Schedule>;
  /** `runbooks/chat-users.ts`, by Slack user id. */
  chatUsers: Map<string, ChatUser>;
  /** `runbooks/webhooks.ts`: outgoing webhook subscriptions (secrets by variable name; see loadWebhookSecrets). */
  webhooks: WebhookSubscription[];
  /** `runbooks/services.ts`: what remediations may touch, by service name. */
  services: Map<string, ServiceTarget>;
}

export class OperatorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid definitions in runbooks/:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'OperatorConfigError';
  }
}

function parse<S extends z.ZodType>(schema: S, file: string, value: unknown, problems: string[]): z.infer<S> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push(`${file}: ${issue.path.length ? issue.path.join('.') : '(export)'}: ${issue.message}`);
  }
  return undefined;
}

/** Validates the operator's files and their references to each other. */
export function loadOperatorConfig(files: OperatorFiles): OperatorConfig {
  const problems: string[] = [];
  const routes = parse(RoutesFileSchema, files.routes.file, files.routes.value, problems);
  const policies = parse(EscalationPoliciesFileSchema, files.escalationPolicies.file, files.escalationPolicies.value, problems);
  const heartbeats = parse(HeartbeatsFileSchema, files.heartbeats.file, files.heartbeats.value, problems);
  const respondersFile = files.responders ?? { file: 'runbooks/responders.ts', value: [] };
  const schedulesFile = files.schedules ?? { file: 'runbooks/schedules.ts', value: [] };
  const responders = parse(RespondersFileSchema, respondersFile.file, respondersFile.value, problems);
  const schedules = parse(SchedulesFileSchema, schedulesFile.file, schedulesFile.value, problems);
  const chatUsersFile = files.chatUsers ?? { file: 'runbooks/chat-users.ts', value: [] };
  const chatUsers = parse(ChatUsersFileSchema, chatUsersFile.file, chatUsersFile.value, problems);
  const webhooksFile = files.webhooks ?? { file: 'runbooks/webhooks.ts', value: [] };
  const webhooks = parse(WebhooksFileSchema, webhooksFile.file, webhooksFile.value, problems);
  const servicesFile = files.services ?? { file: 'runbooks/services.ts', value: {} };
  const services = parse(ServicesFileSchema, servicesFile.file, servicesFile.value, problems);

  const unique = <T>(file: string, list: T[] | undefined, idOf: (item: T) => string): Map<string, T> => {
    const byId = new Map<string, T>();
    list?.forEach((item, index) => {
      const id = idOf(item);
      if (byId.has(id)) problems.push(`${file}: ${index}.id: "${id}" is used twice`);
      else byId.set(id, item);
    });
    return byId;
  };
  const respondersById = unique(respondersFile.file, responders, (responder) => responder.id);
  const schedulesById = unique(schedulesFile.file, schedules, (schedule) => schedule.id);
  const webhooksById = unique(webhooksFile.file, webhooks, (subscription) => subscription.id);
  const chatUsersBySlackId = new Map<string, ChatUser>();
  chatUsers?.forEach((user, index) => {
    if (chatUsersBySlackId.has(user.slack)) problems.push(`${chatUsersFile.file}: ${index}.slack: "${user.slack}" is listed twice`);
    else chatUsersBySlackId.set(user.slack, user);
  });
  if (responders) {
    schedules?.forEach((schedule, s) =>
      schedule.layers.forEach((layer, l) =>
        layer.responders.forEach((id, r) => {
          if (!respondersById.has(id)) problems.push(`${schedulesFile.file}: ${s}.layers.${l}.responders.${r}: no responder "${id}" in ${respondersFile.file}`);
        }),
      ),
    );
  }
  // A target naming someone or something unknown stops start-up; only checked once the file
  // it points into parsed, so one mistake is not reported twice.
  const checkTargets = (path: string, targets: string[]) =>
    targets.forEach((text, index) => {
      const target = parseTarget(text);
      const where = `${files.escalationPolicies.file}: ${path}.${index}`;
      if (target?.kind === 'user' && responders && !respondersById.has(target.id)) problems.push(`${where}: no responder "${target.id}" in ${respondersFile.file}`);
      if (target?.kind === 'schedule' && schedules && !schedulesById.has(target.id)) problems.push(`${where}: no schedule "${target.id}" in ${schedulesFile.file}`);
    });
  for (const [name, policy] of Object.entries(policies ?? {})) {
    policy.levels.forEach((level, index) => checkTargets(`${name}.levels.${index}.targets`, level.targets));
    if (policy.fallback) checkTargets(`${name}.fallback`, policy.fallback);
  }

  const policyNames = new Set(Object.keys(policies ?? {}));
  const checkPolicy = (file: string, path: string, name: string | undefined) => {
    if (name !== undefined && policies && !policyNames.has(name)) {
      problems.push(`${file}: ${path}: no escalation policy "${name}" in ${files.escalationPolicies.file}`);
    }
  };
  const checkRunbooks = (file: string, path: string, ids: string[]) => {
    if (!files.runbookIds) return;
    ids.forEach((id, index) => {
      if (!files.runbookIds!.includes(id)) problems.push(`${file}: ${path}.${index}: no runbook "${id}" in runbooks/`);
    });
  };
  if (routes) {
    const seen = new Set<string>();
    routes.routes.forEach((route, index) => {
      if (seen.has(route.name)) problems.push(`${files.routes.file}: routes.${index}.name: "${route.name}" is used twice`);
      seen.add(route.name);
      checkPolicy(files.routes.file, `routes.${index}.escalationPolicy`, route.escalationPolicy);
      checkRunbooks(files.routes.file, `routes.${index}.runbooks`, route.runbooks);
    });
    checkPolicy(files.routes.file, 'default.escalationPolicy', routes.default.escalationPolicy);
    checkRunbooks(files.routes.file, 'default.runbooks', routes.default.runbooks);
  }
  if (heartbeats) {
    const seen = new Set<string>();
    heartbeats.forEach((monitor, index) => {
      if (seen.has(monitor.name)) problems.push(`${files.heartbeats.file}: ${index}.name: "${monitor.name}" is used twice`);
      seen.add(monitor.name);
      checkPolicy(files.heartbeats.file, `${index}.escalationPolicy`, monitor.escalationPolicy);
    });
  }
  if (problems.length > 0 || !routes || !policies || !heartbeats || !responders || !schedules || !chatUsers || !webhooks || !services) throw new OperatorConfigError(problems);
  return {
    routes: routes.routes,
    defaultRoute: routes.default,
    priorityMatrix: routes.priorityMatrix,
    escalationPolicies: new Map(Object.entries(policies).map(([name, policy]) => [name, { name, ...policy }])),
    heartbeats: new Map(heartbeats.map((monitor) => [monitor.name, monitor])),
    responders: respondersById,
    schedules: schedulesById,
    chatUsers: chatUsersBySlackId,
    webhooks: [...webhooksById.values()].map(toSubscription),
    services: toServiceTargets(services),
  };
}

export type { Impact, Severity, Urgency };
