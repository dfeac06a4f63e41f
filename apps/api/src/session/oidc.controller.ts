import { Controller, Get, NotFoundException, Query, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { OIDC_PAGE_HEADERS, renderSignInRefused } from './oidc-pages.html';
import { OidcService } from './oidc.service';
import { SessionService } from './session.service';

const NOT_CONFIGURED = 'single sign-on is not configured: set OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ROLES';

/**
 * Single sign-on for people in the console. Public routes (no role), browser navigations:
 * each answers with a redirect or a page, never JSON, and never shows a token.
 */
@ApiTags('session')
@Controller('v1/session/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly sessions: SessionService,
  ) {}

  @Get()
  @Public('starts single sign-on: the identity provider authenticates the person')
  @ApiProduces('text/html')
  @ApiQuery({ name: 'returnTo', required: false, description: 'The console path to open once signed in (a path on this origin; anything else opens `/`).' })
  @ApiResponse({ status: 302, description: "To the identity provider's sign-in, with PKCE, state and nonce; the flow cookie (HttpOnly, SameSite=Lax, 10 minutes) is set." })
  @ApiResponse({ status: 404, description: 'Single sign-on is not configured.' })
  @ApiResponse({ status: 503, description: 'The identity provider cannot be reached (a page saying so).' })
  async start(@Query('returnTo') returnTo: unknown, @Res() response: Response): Promise<void> {
    if (!this.oidc.enabled) throw new NotFoundException(NOT_CONFIGURED);
    const started = await this.oidc.start(returnTo);
    if ('unreachable' in started) {
      response.status(503).set({ ...OIDC_PAGE_HEADERS, 'Retry-After': '10' }).send(renderSignInRefused('Identity provider unreachable', started.unreachable));
      return;
    }
    response.set({ 'Cache-Control': 'no-store', 'Set-Cookie': started.setCookie }).redirect(302, started.location);
  }

  @Get('callback')
  @Public("the identity provider's answer, checked against this browser's flow cookie")
  @ApiProduces('text/html')
  @ApiResponse({ status: 302, description: 'Signed in: the console session cookie is set (as `POST /v1/session` sets it) and the browser goes to the console.' })
  @ApiResponse({ status: 400, description: 'A sign-in this browser did not start, or too old, or its state does not match. No session.' })
  @ApiResponse({ status: 401, description: "The provider's answer failed a check (audience, issuer, expiry, nonce, signature) or the provider refused. No session." })
  @ApiResponse({ status: 403, description: "The person's claims map to no role (OIDC_ROLES). No session." })
  @ApiResponse({ status: 404, description: 'Single sign-on is not configured.' })
  @ApiResponse({ status: 502, description: 'The identity provider answered something unusable. No session.' })
  @ApiResponse({ status: 503, description: 'The identity provider cannot be reached. No session.' })
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!this.oidc.enabled) throw new NotFoundException(NOT_CONFIGURED);
    const finished = await this.oidc.finish(request);
    // The flow is used once, whatever the outcome.
    const clearFlow = this.oidc.flowCookie(undefined);
    if (finished.outcome === 'refused') {
      response.status(finished.status).set({ ...OIDC_PAGE_HEADERS, 'Set-Cookie': clearFlow }).send(renderSignInRefused(finished.heading, finished.reason));
      return;
    }
    response
      .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
      .setHeader('Set-Cookie', [this.sessions.setCookie(finished.cookie, Date.parse(finished.answer.expiresAt)), clearFlow]);
    response.redirect(302, finished.returnTo);
  }
}
