import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { type StatusBody, StatusService } from './status.service';

/** Whether an `If-None-Match` header names `etag` (or is `*`); weak validators match too. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/**
 * The public status page: no authentication, as stakeholders and customers read it. Every
 * request is served from one shared read of the page (see {@link StatusService}), with an
 * `ETag` (304 on `If-None-Match`) and `Cache-Control: public, max-age`; a page that cannot be
 * known answers 503 "status unknown" with `Retry-After`, never a green page.
 */
@ApiTags('status')
@Controller()
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get('status')
  @Public('the public status page, for customers and stakeholders')
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The status page as HTML: components, current incidents, recent history.' })
  @ApiResponse({ status: 304, description: 'Unchanged since the ETag in If-None-Match.' })
  @ApiResponse({ status: 503, description: 'Status unknown: the status page is not running or cannot be read.' })
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    const read = await this.status.current();
    this.send(request, response, read.known ? 200 : 503, read.html, 'text/html; charset=utf-8', read.known ? undefined : read.retryAfterSeconds);
  }

  @Get('status.json')
  @Public('the public status page, for customers and stakeholders')
  @ApiResponse({ status: 200, description: 'The status page as JSON (overall, components, activeIncidents, resolvedIncidents).' })
  @ApiResponse({ status: 304, description: 'Unchanged since the ETag in If-None-Match.' })
  @ApiResponse({ status: 503, description: 'Status unknown: the status page is not running or cannot be read.' })
  async json(@Req() request: Request, @Res() response: Response): Promise<void> {
    const read = await this.status.current();
    this.send(request, response, read.known ? 200 : 503, read.json, 'application/json; charset=utf-8', read.known ? undefined : read.retryAfterSeconds);
  }

  private send(request: Request, response: Response, status: 200 | 503, representation: StatusBody, type: string, retryAfter?: number) {
    if (status === 503) {
      response.status(503).set({ 'content-type': type, 'cache-control': 'no-store', 'retry-after': String(retryAfter) }).send(representation.body);
      return;
    }
    const maxAge = this.status.maxAgeSeconds;
    response.set({ etag: representation.etag, 'cache-control': maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache' });
    if (matchesEtag(request.headers['if-none-match'], representation.etag)) {
      response.status(304).end();
      return;
    }
    response.status(200).type(type).send(representation.body);
  }
}
