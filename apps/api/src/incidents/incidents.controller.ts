import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from 'nestjs-zod';
import type { Request, Response } from 'express';
import type { IncidentActionResult, IncidentSnapshot } from '../../../../core/model/incident';
import { IncidentActionSchema, type IncidentAction } from '../../../../core/schemas/incident-actions';
import { Requires, RequiresIncidentActionRight } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { CONFIG } from '../tokens';
import type { Config } from '../../../../core/schemas/config';
import { IncidentEventHub, streamTimeline } from './incident-events';
import {
  DeclareIncidentDto,
  INCIDENT_ACTION_OPENAPI,
  IncidentCreatedDto,
  IncidentPageDto,
  ListIncidentsQueryDto,
  SimilarIncidentsDto,
  SimilarQueryDto,
  TimelineQueryDto,
} from './incidents.dto';
import { RecordUnavailableFilter } from '../record/record-unavailable.filter';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly events: IncidentEventHub,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get()
  @Requires('incidents.read')
  @UseFilters(RecordUnavailableFilter)
  @ApiResponse({ status: 200, type: IncidentPageDto })
  @ApiResponse({ status: 503, description: 'Temporal, or the record (for `q`, `archived`, `sort`), is down; see Retry-After.' })
  list(@Query() query: ListIncidentsQueryDto): Promise<IncidentPageDto> {
    return this.incidents.list(query);
  }

  @Post()
  @HttpCode(201)
  @Requires('incident.declare')
  @ApiResponse({ status: 201, type: IncidentCreatedDto, description: 'Declared; the incident workflow is running.' })
  declare(@Body() body: DeclareIncidentDto, @CurrentPrincipal() principal: Principal): Promise<IncidentCreatedDto> {
    return this.incidents.declare(body, principal);
  }

  @Get(':id')
  @Requires('incidents.read')
  @UseFilters(RecordUnavailableFilter)
  @ApiResponse({ status: 200, description: 'The incident: status, severity, roles, alerts, escalation and timeline; from the record (`archived: true`) once its workflow is gone.' })
  @ApiResponse({ status: 404, description: 'No such incident.' })
  get(@Param('id') id: string): Promise<IncidentSnapshot> {
    return this.incidents.get(id);
  }

  @Get(':id/similar')
  @Requires('incidents.read')
  @UseFilters(RecordUnavailableFilter)
  @ApiResponse({ status: 200, type: SimilarIncidentsDto, description: 'Past incidents of the same service or alert name, newest first, with the runbooks they ran and their time to resolve.' })
  @ApiResponse({ status: 503, description: 'The record is down; see Retry-After.' })
  similar(@Param('id') id: string, @Query() query: SimilarQueryDto): Promise<SimilarIncidentsDto> {
    return this.incidents.similar(id, query.limit);
  }

  @Get(':id/timeline')
  @Requires('incidents.read')
  async timeline(@Param('id') id: string, @Query() query: TimelineQueryDto) {
    const incident = await this.incidents.get(id);
    // Indices count from the incident's first entry, also once a bounded timeline drops older ones.
    const start = (incident as IncidentSnapshot & { timelineStart?: number }).timelineStart ?? 0;
    const entries = incident.timeline
      .map((entry, index) => ({ index: start + index, ...entry }))
      .filter((entry) => entry.index > query.after);
    return { incidentId: id, status: incident.status, entries };
  }

  @Get(':id/events')
  @Requires('incidents.read')
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'Server-Sent Events: `timeline` per entry (id = its index in the whole timeline), `end` when closed. Honors Last-Event-ID.' })
  @ApiResponse({ status: 429, description: 'Too many open streams for this key, or in total; see Retry-After.' })
  async stream(
    @Param('id') id: string,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const release = this.events.admit(principal.name, response);
    try {
      const first = await this.incidents.get(id);
      await streamTimeline({
        request,
        response,
        first,
        subscribe: (listener) => this.events.subscribe(id, listener),
        pollMs: this.config.incidentEventsPollMs,
      });
    } finally {
      release();
    }
  }

  @Get(':id/postmortem')
  @Requires('incidents.read')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  @ApiProduces('text/markdown')
  @ApiResponse({ status: 409, description: 'Not written yet: the incident has not resolved.' })
  postmortem(@Param('id') id: string): Promise<string> {
    return this.incidents.postmortem(id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @RequiresIncidentActionRight()
  @ApiBody({ schema: INCIDENT_ACTION_OPENAPI as object, description: '`{ "action": NAME, ...params }`' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key is applied once.' })
  @ApiResponse({ status: 200, description: 'Applied.' })
  @ApiResponse({ status: 409, description: 'Not allowed now (e.g. an invalid transition); the message says why.' })
  act(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(IncidentActionSchema)) body: IncidentAction,
    @CurrentPrincipal() principal: Principal,
    @Headers('Idempotency-Key') idempotencyKey?: string,
  ): Promise<IncidentActionResult> {
    return this.incidents.act(id, { actor: principal.name, action: body }, idempotencyKey?.slice(0, 200), { principal });
  }
}
