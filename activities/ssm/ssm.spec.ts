import { ListCommandsCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { loadIntegrationsConfig, type SsmSettings } from '../../core/schemas/integrations-config';
import { activityEnvironment, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { MOTO_CREDENTIALS, MOTO_REGION, recordCommands, useMotoServer } from '../../test/vendors/moto';
import { type StubRequest, StubServer } from '../../test/vendors/stub-server';
import { createSsmActivities } from './port';
import { commandMarker, createSsmClient, SsmRunCommand } from './ssm';

/** The activity as the worker builds it from settings, and the SSM commands it sends. */
function adapterFor(endpoint: string, extra: Record<string, string> = {}) {
  const config = loadIntegrationsConfig({
    SSM_PROVIDER: 'ssm',
    AWS_REGION: MOTO_REGION,
    AWS_ENDPOINT_URL_SSM: endpoint,
    SSM_POLL_INTERVAL_MS: '10',
    INTEGRATIONS_TIMEOUT_MS: '2000',
    ...extra,
  });
  const settings = config.ssm as SsmSettings;
  const client = createSsmClient(settings, config.timeoutMs, MOTO_CREDENTIALS);
  const sent = recordCommands(client);
  return { sent, client, ...createSsmActivities(new SsmRunCommand(client, settings)) };
}

const INSTANCES = ['i-0123456789abcdef0', 'i-0fedcba9876543210'];
/** An attempt of a step first scheduled now, with a 30 s start-to-close timeout. */
const stepInfo = (extra: object = {}) => ({ scheduledTimestampMs: Date.now(), startToCloseTimeoutMs: 30_000, ...extra });

describe('SSM Run Command (@aws-sdk/client-ssm against moto)', () => {
  const aws = useMotoServer();
  let ssm: SSMClient;
  beforeAll(async () => {
    ssm = createSsmClient({ region: MOTO_REGION, endpoint: aws.moto.url }, 30_000, MOTO_CREDENTIALS);
    // moto loads its SSM documents on the first SSM call, which takes a few seconds: not the adapter's deadline to bear.
    await ssm.send(new ListCommandsCommand({}));
  });
  afterAll(() => ssm?.destroy());
  const commandsWith = async (marker: string) => ((await ssm.send(new ListCommandsCommand({}))).Commands ?? []).filter((c) => c.Comment?.startsWith(marker));

  it('sends the command once, marked with the step, waits for it, and answers each instance\'s outcome', async () => {
    const { ssmRunCommand, sent } = adapterFor(aws.moto.url);
    const env = activityEnvironment(stepInfo());
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const step = {
      idempotencyKey: 'run-1/ssm.runCommand',
      instanceIds: INSTANCES,
      parameters: { commands: ['systemctl restart payments'] },
      comment: 'Restart payments after the cache flush',
    };
    const answer = await env.run(ssmRunCommand, step);
    expect(answer).toEqual({
      commandId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'Success',
      created: true,
      counts: { targets: 2, completed: 2, errors: 0 },
      instances: INSTANCES.map((instanceId) => ({ instanceId, status: 'Success', responseCode: 0, stdout: '', stderr: '' })),
      truncated: false,
    });
    expect(sent).toEqual(['ListCommandsCommand', 'SendCommandCommand', 'ListCommandsCommand', 'GetCommandInvocationCommand', 'GetCommandInvocationCommand']);
    expect(heartbeats[0]).toEqual({ idempotencyKey: step.idempotencyKey, commandId: answer.commandId, since: expect.any(Number) });

    const [command] = await commandsWith(commandMarker(step.idempotencyKey));
    expect(command).toMatchObject({
      CommandId: answer.commandId,
      DocumentName: 'AWS-RunShellScript',
      Comment: `${commandMarker(step.idempotencyKey)} Restart payments after the cache flush`,
      Parameters: { commands: ['systemctl restart payments'] },
      TimeoutSeconds: 600,
    });
    expect(command.Comment!.length).toBeLessThanOrEqual(100);
    expect([...command.InstanceIds!].sort()).toEqual([...INSTANCES].sort());
  });

  it('a retried attempt finds the command by its marker and does not send it again', async () => {
    const step = { idempotencyKey: 'run-2/ssm.runCommand', instanceIds: [INSTANCES[0]], parameters: { commands: ['true'] }, comment: 'x'.repeat(500) };
    const first = await activityEnvironment(stepInfo()).run(adapterFor(aws.moto.url).ssmRunCommand, step);
    const { ssmRunCommand, sent } = adapterFor(aws.moto.url);
    const again = await activityEnvironment(stepInfo({ attempt: 2 })).run(ssmRunCommand, step);
    expect(again).toEqual({ ...first, created: false });
    expect(sent).not.toContain('SendCommandCommand');
    const commands = await commandsWith(commandMarker(step.idempotencyKey));
    expect(commands).toHaveLength(1);
    // The comment was cut to SSM's 100 characters, the marker kept whole.
    expect(commands[0].Comment).toMatch(/^firebreak:[0-9a-f]{16} x+…$/);
    expect(commands[0].Comment).toHaveLength(100);
  });

  it('an attempt after a restart resumes waiting on the command its heartbeat names, without searching or sending', async () => {
    const step = { idempotencyKey: 'run-3/ssm.runCommand', instanceIds: [INSTANCES[1]], parameters: { commands: ['true'] } };
    const first = await activityEnvironment(stepInfo()).run(adapterFor(aws.moto.url).ssmRunCommand, step);
    const { ssmRunCommand, sent } = adapterFor(aws.moto.url);
    const resumed = activityEnvironment(stepInfo({ attempt: 2, heartbeatDetails: { idempotencyKey: step.idempotencyKey, commandId: first.commandId, since: Date.now() } }));
    expect(await resumed.run(ssmRunCommand, step)).toEqual({ ...first, created: false });
    expect(sent).toEqual(['ListCommandsCommand', 'GetCommandInvocationCommand']);
  });

  it('refuses a bad input, naming the field, before any call', async () => {
    const { ssmRunCommand, sent } = adapterFor(aws.moto.url);
    const env = activityEnvironment(stepInfo());
    const invalid = (input: object, message: RegExp) =>
      expectFailure(env.run(ssmRunCommand, { idempotencyKey: 'k', parameters: {}, ...input } as never), { type: CapabilityFailure.InvalidInput, nonRetryable: true, message });
    await invalid({}, /instanceIds: give instanceIds or targets, not both and not neither/);
    await invalid({ instanceIds: INSTANCES, targets: [{ key: 'tag:Role', values: ['web'] }] }, /instanceIds: give instanceIds or targets/);
    await invalid({ instanceIds: ['web-1'] }, /instanceIds\.0: must be an instance id/);
    await invalid({ instanceIds: INSTANCES, timeoutSeconds: 5 }, /timeoutSeconds:/);
    await invalid({ instanceIds: INSTANCES, documentName: 'rm -rf /' }, /documentName: must be an SSM document name/);
    await invalid({ targets: Array.from({ length: 6 }, () => ({ key: 'tag:Role', values: ['web'] })) }, /targets:/);
    expect(sent).toEqual([]);
  });
});

interface StubCommand {
  CommandId: string;
  Comment: string;
  DocumentName: string;
  Status: string;
  /** Statuses ListCommands answers before `Status`, one per look. */
  before: string[];
  instances: Array<{ InstanceId: string; Status: string; StatusDetails?: string; ResponseCode: number; StandardOutputContent: string; StandardErrorContent: string }>;
}

/**
 * An SSM-speaking stub (AWS JSON 1.1, as the SDK sends it), for what moto does not do: a
 * command that takes a while, one that fails, ListCommandInvocations (targets), and failures
 * on demand.
 */
function ssmStub(script: (request: StubRequest) => Omit<StubCommand, 'CommandId' | 'Comment' | 'DocumentName'>, existing: StubCommand[] = []) {
  const commands = [...existing];
  const stub = new StubServer({
    vendor: 'SSM',
    authorize: (request) => /^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/eu-west-1\/ssm\/aws4_request,/.test(String(request.headers.authorization)),
    unauthorized: { status: 400, body: { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } },
  });
  const view = (command: StubCommand) => ({
    CommandId: command.CommandId,
    Comment: command.Comment,
    DocumentName: command.DocumentName,
    Status: command.before.shift() ?? command.Status,
    TargetCount: command.instances.length,
    CompletedCount: command.instances.length,
    ErrorCount: command.instances.filter((instance) => instance.Status !== 'Success').length,
  });
  stub.route('ssm', 'POST', '/', (request) => {
    if (request.headers['content-type'] !== 'application/x-amz-json-1.1') return { status: 400, body: { message: 'bad content type' } };
    const action = String(request.headers['x-amz-target']).replace('AmazonSSM.', '');
    const body = request.body as Record<string, any>;
    const find = (id: string) => commands.find((command) => command.CommandId === id);
    switch (action) {
      case 'SendCommand': {
        stub.effect('command.send');
        const command = { CommandId: `cmd-${commands.length + 1}`, Comment: body.Comment, DocumentName: body.DocumentName, ...script(request) };
        commands.push(command);
        return { body: { Command: { CommandId: command.CommandId, Comment: command.Comment, Status: 'Pending' } } };
      }
      case 'ListCommands': {
        if (body.CommandId) {
          const command = find(body.CommandId);
          if (!command) return { status: 400, body: { __type: 'InvalidCommandId', message: 'Invalid command id.' } };
          return { body: { Commands: [view(command)] } };
        }
        if (body.MaxResults !== 50 || body.Filters?.[0]?.key !== 'InvokedAfter' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(body.Filters[0].value)) {
          return { status: 400, body: { __type: 'InvalidFilter', message: 'unexpected filter' } };
        }
        return { body: { Commands: commands.map((command) => ({ CommandId: command.CommandId, Comment: command.Comment })) } };
      }
      case 'ListCommandInvocations': {
        const command = find(body.CommandId)!;
        const from = body.NextToken ? Number(body.NextToken) : 0;
        const page = command.instances.slice(from, from + body.MaxResults);
        const next = from + body.MaxResults < command.instances.length ? String(from + body.MaxResults) : undefined;
        return { body: { CommandInvocations: page.map(({ InstanceId, Status }) => ({ CommandId: command.CommandId, InstanceId, Status })), ...(next ? { NextToken: next } : {}) } };
      }
      case 'GetCommandInvocation': {
        const invocation = find(body.CommandId)?.instances.find((instance) => instance.InstanceId === body.InstanceId);
        if (!invocation) return { status: 400, body: { __type: 'InvocationDoesNotExist', message: 'no such invocation' } };
        return { body: { CommandId: body.CommandId, ...invocation } };
      }
      default:
        return { status: 400, body: { __type: 'UnknownOperationException', message: action } };
    }
  });
  return stub;
}

const ok = (InstanceId: string, out = 'done') => ({ InstanceId, Status: 'Success', ResponseCode: 0, StandardOutputContent: out, StandardErrorContent: '' });

describe('SSM Run Command waiting, targets and failures (against an SSM-speaking stub)', () => {
  let stub: StubServer;
  afterEach(() => stub?.stop());
  const run = (endpoint: string, input: object, info: object = {}, extra?: Record<string, string>) => {
    const adapter = adapterFor(endpoint, extra);
    const env = activityEnvironment(stepInfo(info));
    const heartbeats: Array<Record<string, unknown>> = [];
    env.on('heartbeat', (details: Record<string, unknown>) => heartbeats.push(details));
    return { heartbeats, running: env.run(adapter.ssmRunCommand, { idempotencyKey: 'run-9/ssm.runCommand', parameters: { commands: ['flush'] }, ...input }), sent: adapter.sent };
  };

  it('looks until the command is final, heartbeating where it stands', async () => {
    stub = await ssmStub(() => ({ Status: 'Success', before: ['Pending', 'InProgress', 'InProgress'], instances: [ok(INSTANCES[0])] })).start();
    const { running, heartbeats, sent } = run(stub.url, { instanceIds: [INSTANCES[0]] });
    expect(await running).toMatchObject({ commandId: 'cmd-1', status: 'Success', created: true, instances: [{ instanceId: INSTANCES[0], stdout: 'done' }] });
    expect(sent.filter((name) => name === 'ListCommandsCommand')).toHaveLength(5);
    // Sent, then each look, then after reading the instances' outcomes.
    expect(heartbeats.map((beat) => beat.status)).toEqual([undefined, 'Pending', 'InProgress', 'InProgress', 'Success', 'Success']);
    expect(heartbeats.every((beat) => beat.commandId === 'cmd-1')).toBe(true);
    expect(stub.count('command.send')).toBe(1);
  });

  it('runs on targets, reads which instances ran it from ListCommandInvocations, and keeps at most 25 and the end of their output', async () => {
    const instances = Array.from({ length: 60 }, (_, i) => ok(`i-${String(i).padStart(17, '0')}`, `${'line\n'.repeat(400)}restarted ${i}`));
    stub = await ssmStub((request) => {
      expect(request.body.Targets).toEqual([{ Key: 'tag:Role', Values: ['web'] }]);
      expect(request.body.InstanceIds).toBeUndefined();
      return { Status: 'Success', before: [], instances };
    }).start();
    const answer = await run(stub.url, { targets: [{ key: 'tag:Role', values: ['web'] }] }).running;
    expect(answer.counts).toEqual({ targets: 60, completed: 60, errors: 0 });
    expect(answer.instances).toHaveLength(25);
    expect(answer.truncated).toBe(true);
    expect(answer.instances[0].stdout).toHaveLength(1000);
    expect(answer.instances[0].stdout).toMatch(/^…ne\n(line\n)+restarted 0$/);
    // One page past the 25 shown is enough to know there are more.
    expect(stub.calls('ssm').filter((call) => String(call.headers['x-amz-target']).endsWith('ListCommandInvocations'))).toHaveLength(1);
  });

  it('fails the step for good when the command failed, naming the instance, its exit code and its last words; allowFailure answers instead', async () => {
    const failing = () => ({
      Status: 'Failed',
      before: [],
      instances: [ok(INSTANCES[0]), { InstanceId: INSTANCES[1], Status: 'Failed', ResponseCode: 2, StandardOutputContent: '', StandardErrorContent: 'flush: cache not found\n' }],
    });
    stub = await ssmStub(failing).start();
    const failure = await expectFailure(run(stub.url, { instanceIds: INSTANCES }).running, {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^SSM command cmd-1 \(AWS-RunShellScript\) ended Failed: i-0fedcba9876543210 Failed \(exit 2\): flush: cache not found$/,
    });
    expect(failure.details).toEqual([
      { commandId: 'cmd-1', status: 'Failed', instances: [{ instanceId: INSTANCES[0], status: 'Success', responseCode: 0 }, { instanceId: INSTANCES[1], status: 'Failed', responseCode: 2 }] },
    ]);
    const allowed = await run(stub.url, { idempotencyKey: 'run-10/ssm.runCommand', instanceIds: INSTANCES, allowFailure: true }).running;
    expect(allowed).toMatchObject({ status: 'Failed', counts: { errors: 1 }, instances: [{ status: 'Success' }, { status: 'Failed', responseCode: 2, stderr: 'flush: cache not found\n' }] });
  });

  it('finds a command an earlier attempt sent among those since the step was scheduled, and waits on it', async () => {
    const key = 'run-11/ssm.runCommand';
    stub = await ssmStub(() => ({ Status: 'Success', before: [], instances: [] }), [
      { CommandId: 'other', Comment: `${commandMarker('run-12/ssm.runCommand')} other step`, DocumentName: 'AWS-RunShellScript', Status: 'Success', before: [], instances: [] },
      { CommandId: 'earlier', Comment: commandMarker(key), DocumentName: 'AWS-RunShellScript', Status: 'InProgress', before: [], instances: [ok(INSTANCES[0])] },
    ]).start();
    const { running } = run(stub.url, { idempotencyKey: key, instanceIds: [INSTANCES[0]] }, { startToCloseTimeoutMs: 1_000 });
    // It is still running: the step waits on it until its time is up, and never sends another.
    await expectFailure(running, {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /^SSM command earlier did not finish within the step's timeout \(waited \d+ s\); its last status: InProgress \(1 of 1 instances done\)$/,
    });
    expect(stub.count('command.send')).toBe(0);
  });

  it('retries throttling, 5xx and silence, and refuses bad requests and unknown credentials for good, in the SDK\'s words', async () => {
    stub = await ssmStub(() => ({ Status: 'Success', before: [], instances: [] })).start();
    const send = () => run(stub.url, { instanceIds: INSTANCES }, {}, { INTEGRATIONS_TIMEOUT_MS: '300' }).running;
    stub.fail('ssm', { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } });
    await expectFailure(send(), { type: CapabilityFailure.Throttled, nonRetryable: false, message: /SSM list commands failed: HTTP 400: ThrottlingException: Rate exceeded/ });
    await expectTransientFaultsRetried(stub, 'ssm', send);
    stub.fail('ssm', { status: 200, body: { Commands: [] } }, { status: 400, body: { __type: 'InvalidInstanceId', message: 'Instances [[i-0123456789abcdef0]] not in a valid state for account 123456789012' } });
    await expectFailure(send(), { type: CapabilityFailure.Rejected, nonRetryable: true, message: /SSM send command failed: HTTP 400: InvalidInstanceId: Instances .* not in a valid state/ });
    expect(stub.count('command.send')).toBe(0);

    const stranger = createSsmClient({ region: MOTO_REGION, endpoint: stub.url }, 2000, { accessKeyId: 'stranger', secretAccessKey: 'stranger-secret-key' });
    const env = activityEnvironment(stepInfo());
    await expectFailure(env.run(createSsmActivities(new SsmRunCommand(stranger, { pollIntervalMs: 10 })).ssmRunCommand, { idempotencyKey: 'k', instanceIds: INSTANCES, parameters: {} }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 400: UnrecognizedClientException: The security token included in the request is invalid/,
      secrets: ['stranger-secret-key'],
    });
  });
});
