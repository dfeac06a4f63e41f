import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type AuditQuery, decodeAuditCursor, encodeAuditCursor } from '../../../../record/audit';
import { RecordNotConfiguredError } from '../../../../record/errors';
import { Requires } from '../auth/auth.guard';
import { RecordUnavailableFilter } from '../record/record-unavailable.filter';
import { AUDIT_DEFAULT_LIMIT, AUDIT_EXPORT_MAX, AuditPageDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

const JSON_LINES = 'application/x-ndjson';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
@UseFilters(RecordUnavailableFilter)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Requires('audit.read')
  @ApiProduces('application/json', JSON_LINES)
  @ApiResponse({ status: 200, type: AuditPageDto, description: 'Entries newest first, a page at a time; as JSON lines (one entry a line) with `format=jsonl` or `Accept: application/x-ndjson`.' })
  @ApiResponse({ status: 503, description: 'The record is down or not configured; see Retry-After.' })
  async list(@Query() query: AuditQueryDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const log = this.audit.auditLog;
    if (!log) throw new RecordNotConfiguredError();
    const filters: Omit<AuditQuery, 'limit'> = {
      since: query.since,
      until: query.until,
      principal: query.principal,
      target: query.target,
      outcome: query.outcome,
      after: query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor),
    };
    const lines = query.format === 'jsonl' || (query.format === undefined && request.accepts(['application/json', JSON_LINES]) === JSON_LINES);
    if (!lines) {
      const page = await log.query({ ...filters, limit: query.limit ?? AUDIT_DEFAULT_LIMIT });
      const body: AuditPageDto = { entries: page.entries, ...(page.next ? { nextCursor: encodeAuditCursor(page.next) } : {}) };
      response.json(body);
      return;
    }
    const pages = log.export({ ...filters, limit: query.limit ?? AUDIT_EXPORT_MAX });
    // The first page before the head, so a record that is down still answers 503.
    const first = await pages.next();
    response.status(200).type(JSON_LINES);
    try {
      for (let page = first; !page.done; page = await pages.next()) {
        const chunk = page.value.map((entry) => `${JSON.stringify(entry)}\n`).join('');
        if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
        if (response.destroyed) return;
      }
      response.end();
    } catch {
      // The head is gone: a cut stream (no final newline-terminated end) is how the client learns.
      response.destroy();
    }
  }
}
