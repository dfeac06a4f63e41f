import { Controller, Delete, ForbiddenException, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CSRF_HEADER, type SessionAnswer, SignInSchema } from '../../../../core/schemas/session-api';
import { presentedKey } from '../auth/api-key-principals';
import { Public } from '../auth/public.decorator';
import { requestIssuesOf, ValidationFailedError } from '../http/failures';
import { OidcService } from './oidc.service';
import { SessionAnswerDto, SignInDto, SignInMethodsDto } from './session.dto';
import { SessionService } from './session.service';
import type { SignInMethods } from './sign-in-methods';

/**
 * The console's sign-in. Public routes (no role): sign-in is limited per client IP like every
 * call without a valid key, so guessing keys here is no faster than anywhere else.
 */
@ApiTags('session')
@Controller('v1/session')
export class SessionController {
  constructor(
    private readonly sessions: SessionService,
    private readonly oidc: OidcService,
  ) {}

  @Get('methods')
  @Public('what the sign-in page offers, asked before anyone is signed in')
  @ApiResponse({ status: 200, type: SignInMethodsDto, description: 'How people may sign in: an API key always; single sign-on when OIDC_ISSUER is set.' })
  methods(): SignInMethods {
    return { apiKey: true, sso: this.oidc.enabled };
  }

  @Post()
  @HttpCode(200)
  @Public('signing in: the API key comes in the body or the Authorization header')
  @ApiBody({ type: SignInDto, required: false, description: 'The key; or no body, with the key in the Authorization header.' })
  @ApiResponse({ status: 200, type: SessionAnswerDto, description: 'Signed in: the session cookie is set (HttpOnly, SameSite=Strict).' })
  @ApiResponse({ status: 400, description: 'No key: send `{ "key": … }` or `Authorization: Bearer <key>`.' })
  @ApiResponse({ status: 401, description: 'Unknown API key.' })
  @ApiResponse({ status: 403, description: "A sender's key: it sends alerts and pings heartbeats, and opens no console session." })
  signIn(@Req() request: Request, @Res({ passthrough: true }) response: Response): SessionAnswer {
    // Read here rather than by the validation pipe: a sign-in with the header may send no body at all.
    const body = SignInSchema.safeParse(request.body ?? {});
    if (!body.success) throw new ValidationFailedError(requestIssuesOf(body.error.issues));
    const key = body.data.key ?? presentedKey(request.headers.authorization ?? '');
    if (key === undefined) {
      throw new ValidationFailedError([{ path: ['key'], rule: 'required', message: 'send the API key as key, or as "Authorization: Bearer <key>"' }]);
    }
    const opened = this.sessions.open(key);
    if (!opened) throw new UnauthorizedException('unknown API key');
    // A sender's key lives in alerting configs; a console session with it could read nothing.
    if (opened.answer.role === 'sender') {
      throw new ForbiddenException("a sender key sends alerts and pings heartbeats; sign in to the console with a person's key (viewer, responder, commander or admin)");
    }
    response.setHeader('Set-Cookie', this.sessions.setCookie(opened.cookie, Date.parse(opened.answer.expiresAt)));
    response.setHeader('Cache-Control', 'no-store');
    return opened.answer;
  }

  @Get()
  @Public('reads the session cookie itself: 401 without one')
  @ApiCookieAuth()
  @ApiResponse({ status: 200, type: SessionAnswerDto, description: 'Who is signed in, until when, and the CSRF token.' })
  @ApiResponse({ status: 401, description: 'No session, or it expired, was signed out, or its key was removed.' })
  async whoAmI(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionAnswer> {
    const read = await this.sessions.read(request);
    if (read.state === 'none') throw new UnauthorizedException('not signed in: POST /v1/session with an API key');
    if (read.state === 'invalid') throw new UnauthorizedException(read.reason);
    response.setHeader('Cache-Control', 'no-store');
    return this.sessions.answer(read.session.claims);
  }

  @Delete()
  @HttpCode(204)
  @Public('signing out: the session cookie and its CSRF token, read by the route itself')
  @ApiCookieAuth()
  @ApiResponse({ status: 204, description: 'Signed out: the cookie is cleared and no longer works, on any replica.' })
  @ApiResponse({ status: 403, description: `A valid session without its ${CSRF_HEADER} header.` })
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const read = await this.sessions.read(request);
    if (read.state === 'valid') {
      if (!this.sessions.csrfMatches(read.session, request.headers[CSRF_HEADER.toLowerCase()])) {
        throw new ForbiddenException(`signing out needs the ${CSRF_HEADER} header with the session's csrfToken`);
      }
      await this.sessions.end(read.session);
    }
    // A cookie that no longer works is cleared too: signing out twice is no error.
    response.setHeader('Set-Cookie', this.sessions.setCookie(undefined));
  }
}
