import type { INestApplication } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { loadConfig } from '../../../../core/schemas/config';
import { ExecutionFailure } from '../../../../core/model/execution';
import { IncidentFailure } from '../../../../core/model/incident';
import { HttpClient } from '../../../../test/http';
import { runbookCatalog } from '../../../../test/runbooks/catalog';
import { sharedTemporalAddress, uniqueTaskQueue } from '../../../../test/temporal';
import { createApiApp } from '../app';
import { TemporalService } from '../temporal/temporal.service';

const KEYS = { responder: 'Rs3Pq8Zn6Xv1Ks4Jt9Hm2Lb7Gf5Dc0Eb', viewer: 'Vw5Tn2Kq8Zx4Lp7Rm1Jd9Hs3Gb6Fc0Ya' };
const INCIDENT = 'inc-0123456789ab';
const EXECUTION = 'rbx-0123456789ab';

/**
 * How each route answers the failures of the workflow it reads or steers, through the real
 * app (guards, validation, the errors filter) with the workflow handle played by a fake.
 */
describe('error answers over HTTP', () => {
  let app: INestApplication;
  let responder: HttpClient;
  let viewer: HttpClient;
  const handle = { query: jest.fn(), executeUpdate: jest.fn(), describe: jest.fn(), fetchHistory: jest.fn(), cancel: jest.fn() };
  const notFound = (id: string) => new WorkflowNotFoundError('workflow not found', id, undefined);
  const refused = (type: string, message: string) => new WorkflowUpdateFailedError('update failed', ApplicationFailure.nonRetryable(message, type));

  beforeAll(async () => {
    const config = loadConfig({
      API_KEYS: `pager:responder:${KEYS.responder},dash:viewer:${KEYS.viewer}`,
      TEMPORAL_ADDRESS: sharedTemporalAddress(),
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('errors'),
      LOG_LEVEL: 'error',
    });
    app = await createApiApp(config, { runbooks: runbookCatalog() });
    await app.listen(0, '127.0.0.1');
    jest.spyOn(app.get(TemporalService).client.workflow, 'getHandle').mockReturnValue(handle as never);
    const { port } = app.getHttpServer().address() as { port: number };
    const http = new HttpClient(`http://127.0.0.1:${port}`);
    responder = http.as(KEYS.responder);
    viewer = http.as(KEYS.viewer);
  });
  afterAll(() => app?.close());
  beforeEach(() => Object.values(handle).forEach((method) => method.mockReset()));

  const act = (body: object = { action: 'acknowledge' }) => responder.post(`/v1/incidents/${INCIDENT}/actions`, body);
  const approve = () => responder.post(`/v1/executions/${EXECUTION}/approve`, {});

  it('names what is missing in a 404', async () => {
    handle.query.mockRejectedValue(notFound(INCIDENT));
    expect(await viewer.get(`/v1/incidents/${INCIDENT}`)).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found', message: `no incident ${INCIDENT}` } });
    expect((await viewer.get('/v1/incidents/not-an-id')).body).toEqual({ statusCode: 404, error: 'Not Found', message: 'no incident not-an-id' });
    handle.query.mockRejectedValue(notFound(EXECUTION));
    expect((await viewer.get(`/v1/executions/${EXECUTION}`)).body).toEqual({ statusCode: 404, error: 'Not Found', message: `no execution ${EXECUTION}` });
    handle.describe.mockRejectedValue(notFound(EXECUTION));
    expect((await responder.post(`/v1/executions/${EXECUTION}/cancel`)).body).toEqual({ statusCode: 404, error: 'Not Found', message: `no execution ${EXECUTION}` });
    expect(handle.cancel).not.toHaveBeenCalled();
  });

  it("answers an incident command's refusal by its failure type", async () => {
    for (const [type, statusCode, error] of [
      [IncidentFailure.Conflict, 409, 'Conflict'],
      [IncidentFailure.Invalid, 400, 'Bad Request'],
      ['StatusPageFailed', 502, 'Bad Gateway'],
    ] as const) {
      handle.executeUpdate.mockRejectedValueOnce(refused(type, `refused as ${type}`));
      expect((await act()).body).toEqual({ statusCode, error, message: `refused as ${type}` });
    }
  });

  it('tells a closed incident from one that never was', async () => {
    handle.executeUpdate.mockRejectedValue(notFound(INCIDENT));
    handle.describe.mockResolvedValueOnce({ status: { name: 'COMPLETED' } });
    expect((await act()).body).toEqual({ statusCode: 409, error: 'Conflict', message: 'the incident is closed' });
    handle.describe.mockRejectedValueOnce(notFound(INCIDENT));
    expect((await act()).body).toEqual({ statusCode: 404, error: 'Not Found', message: `no incident ${INCIDENT}` });
  });

  it("answers an approval's refusal by its failure type, and a finished execution with 409", async () => {
    handle.executeUpdate.mockRejectedValueOnce(refused(ExecutionFailure.ApprovalForbidden, 'only an admin approves this step'));
    expect((await approve()).body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'only an admin approves this step' });
    handle.executeUpdate.mockRejectedValueOnce(refused(ExecutionFailure.NoPendingApproval, 'no approval is pending'));
    expect((await approve()).body).toEqual({ statusCode: 409, error: 'Conflict', message: 'no approval is pending' });
    handle.executeUpdate.mockRejectedValueOnce(notFound(EXECUTION));
    handle.describe.mockResolvedValueOnce({ status: { name: 'COMPLETED' } });
    expect((await approve()).body).toEqual({ statusCode: 409, error: 'Conflict', message: 'the execution has finished; nothing is waiting for approval' });
  });

  it('answers Temporal not reached in time with 503 and Retry-After', async () => {
    handle.query.mockRejectedValue(new Error('14 UNAVAILABLE: connection refused'));
    const answer = await viewer.get(`/v1/incidents/${INCIDENT}`);
    expect(answer.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Temporal did not confirm reading an incident in time; retry later' });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('answers broken rules with 400 naming each path and rule, and checks the role first', async () => {
    expect((await act({ action: 'no-such-action' })).body).toMatchObject({ statusCode: 400, error: 'Bad Request', issues: [expect.objectContaining({ path: 'action' })] });
    // A dry run: a real one of this destructive runbook is a commander's.
    const launch = await responder.post('/v1/runbooks/scale-out-on-high-cpu/executions', { input: { cluster: 'prod', step: 0 }, dryRun: true });
    expect(launch.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/^input\.service: .*; input\.step: /) });
    expect(launch.body.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'input.service', rule: 'invalid_type' }),
        expect.objectContaining({ path: 'input.step', rule: 'too_small' }),
      ]),
    );
    expect((await viewer.post(`/v1/incidents/${INCIDENT}/actions`, { action: 'acknowledge' })).status).toBe(403);
    expect(handle.executeUpdate).not.toHaveBeenCalled();
  });
});
