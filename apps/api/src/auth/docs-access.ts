import { STATUS_CODES } from 'node:http';
import { HttpException, type INestApplication } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKey, Config } from '../../../../core/schemas/config';
import { MetricsService } from '../metrics/metrics.service';
import { API_KEYS, CONFIG } from '../tokens';
import { AccessCheck } from './access';
import { Authenticator } from './authenticator';

/** Where the OpenAPI page and document are served (SwaggerModule.setup('docs', …, { jsonDocumentUrl: 'docs-json' })). */
export const DOCS_PATHS = ['/docs', '/docs-json', '/docs-yaml'];

/**
 * The OpenAPI page and document are served outside Nest's router, so the guard never sees
 * them: this puts them behind the `docs.read` right (a viewer's key or console session), the
 * same check and the same counted refusals, unless `PUBLIC_DOCS=true`. Mount it on
 * {@link DOCS_PATHS} before `SwaggerModule.setup`.
 */
export function docsAccess(app: INestApplication): RequestHandler {
  const config = app.get<Config>(CONFIG);
  const access = new AccessCheck(app.get(Authenticator), app.get(MetricsService), config, app.get<ApiKey[]>(API_KEYS));
  return (request: Request, response: Response, next: NextFunction) => {
    if (config.publicDocs) return next();
    access.authorize(request, { right: 'docs.read' }).then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof HttpException)) return next(error);
        const status = error.getStatus();
        response.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: error.message });
      },
    );
  };
}
