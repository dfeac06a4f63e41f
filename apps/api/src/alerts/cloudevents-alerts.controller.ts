import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  CLOUDEVENTS_BATCH_JSON,
  CLOUDEVENTS_JSON,
  cloudEventFromBinary,
  isTextContentType,
  mediaType,
  parseCloudEvent,
  parseCloudEventBatch,
  type CloudEvent,
  type CloudEventIssue,
} from '../../../../core/schemas/alert-sources/cloudevents';
import { Requires } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ValidationFailedError } from '../http/failures';
import { CLOUDEVENT_OPENAPI } from './alert-formats.dto';
import { AlertFormatsService } from './alert-formats.service';
import { AlertBatchAcceptedDto } from './alerts.dto';
import { specIssues } from './cloudevents-spec';
import { requestBytes } from './request-body';

/** The most a CloudEvents delivery is read, as for every vendor route (docs/limits.md). */
const CLOUDEVENTS_BODY_LIMIT = 5 * 1024 * 1024;

/** The rule an issue of a CloudEvent names in a 400. */
const CLOUDEVENTS_RULE = 'cloudevents';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class CloudEventsAlertsController {
  constructor(private readonly formats: AlertFormatsService) {}

  /**
   * CloudEvents 1.0 over HTTP: binary mode (`ce-*` headers, the body is the data),
   * structured mode (`application/cloudevents+json`) and batched mode
   * (`application/cloudevents-batch+json`).
   */
  @Post('cloudevents')
  @HttpCode(202)
  @Requires('alerts.send')
  @ApiConsumes(CLOUDEVENTS_JSON, CLOUDEVENTS_BATCH_JSON, 'application/json')
  @ApiBody({ schema: CLOUDEVENT_OPENAPI as object, description: 'One event (structured mode), an array of them (batched mode), or, in binary mode, the event\'s data with its attributes in `ce-*` headers.' })
  @ApiHeader({ name: 'ce-specversion', required: false, description: 'Binary mode: `1.0`; with ce-id, ce-source and ce-type (and any other attribute as `ce-<name>`).' })
  @ApiHeader({ name: 'ce-id', required: false, description: 'Binary mode: the event id; the same source and id is the same delivery, recorded once.' })
  @ApiHeader({ name: 'ce-source', required: false })
  @ApiHeader({ name: 'ce-type', required: false })
  @ApiResponse({ status: 202, type: AlertBatchAcceptedDto })
  @ApiResponse({ status: 400, description: 'A malformed event; `issues` names each attribute (a batch\'s events by index).' })
  async receive(@Req() request: Request, @CurrentPrincipal() principal: Principal): Promise<AlertBatchAcceptedDto> {
    return this.formats.cloudEvents(await readEvents(request), principal);
  }
}

/** The events of a request in any of the three modes, or a 400 naming each broken attribute. */
async function readEvents(request: Request): Promise<CloudEvent[]> {
  const type = mediaType(request.headers['content-type']);
  const bytes = await requestBytes(request, CLOUDEVENTS_BODY_LIMIT);
  let read: { success: true; events: CloudEvent[] } | { success: false; issues: CloudEventIssue[] };
  if (type === CLOUDEVENTS_JSON || type === CLOUDEVENTS_BATCH_JSON) {
    const json = parseJson(bytes);
    if (type === CLOUDEVENTS_BATCH_JSON) read = parseCloudEventBatch(json);
    else {
      const one = parseCloudEvent(json);
      read = one.success ? { success: true, events: [one.event] } : one;
    }
  } else {
    const body = isTextContentType(type) ? bytes.toString('utf8') : { base64: bytes.toString('base64') };
    const binary = cloudEventFromBinary(request.headers, body);
    const one = binary.success ? parseCloudEvent(binary.event) : binary;
    read = one.success ? { success: true, events: [one.event] } : one;
  }
  if (!read.success) throw invalid(read.issues);
  const batch = type === CLOUDEVENTS_BATCH_JSON;
  const issues = read.events.flatMap((event, index) => specIssues(event, batch ? index : undefined));
  if (issues.length > 0) throw invalid(issues);
  return read.events;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid([{ path: [], message: 'request body is not valid JSON' }]);
  }
}

function invalid(issues: CloudEventIssue[]): ValidationFailedError {
  return new ValidationFailedError(issues.map((issue) => ({ path: issue.path, rule: CLOUDEVENTS_RULE, message: issue.message })));
}
