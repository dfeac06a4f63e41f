import {
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Req,
  ServiceUnavailableException,
  UnauthorizedException,
  type RawBodyRequest,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { normalizeAlertmanager } from '../../../../core/schemas/alert-sources/alertmanager';
import { GrafanaWebhookSchema, normalizeGrafana } from '../../../../core/schemas/alert-sources/grafana';
import {
  normalizeCloudWatchAlarm,
  parseCloudWatchAlarm,
  SnsEnvelopeSchema,
  SnsMessageType,
} from '../../../../core/schemas/alert-sources/sns';
import type { Config } from '../../../../core/schemas/config';
import { RequireRole } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { CONFIG, SNS_TRANSPORT } from '../tokens';
import { AlertBatchAcceptedDto } from './alerts.dto';
import { AlertsService } from './alerts.service';
import {
  GRAFANA_SIGNATURE_HEADER,
  GRAFANA_TIMESTAMP_HEADER,
  isFreshGrafanaTimestamp,
  verifyGrafanaSignature,
} from './signatures/grafana-signature';
import { confirmSubscription, SnsCertificateUnavailableError, type HttpGet, type SnsSignatureVerifier } from './signatures/sns-signature';
import { AlertmanagerWebhookDto, GrafanaWebhookDto, SnsNotificationDto } from './vendor-alerts.dto';

/** How the SNS route reaches SNS: certificates for signatures, and subscription confirmation. */
export interface SnsTransport {
  verifier: SnsSignatureVerifier;
  get: HttpGet;
}

const header = (request: Request, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class VendorAlertsController {
  constructor(
    private readonly alerts: AlertsService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SNS_TRANSPORT) private readonly snsTransport: SnsTransport,
  ) {}

  /** Prometheus Alertmanager's webhook (payload version 4). 5xx are retried by Alertmanager, 4xx are not. */
  @Post('alertmanager')
  @HttpCode(202)
  @RequireRole('responder')
  @ApiResponse({ status: 202, type: AlertBatchAcceptedDto })
  alertmanager(@Body() body: AlertmanagerWebhookDto, @CurrentPrincipal() principal: Principal): Promise<AlertBatchAcceptedDto> {
    return this.alerts.receiveBatch(normalizeAlertmanager(body), principal);
  }

  /** Grafana unified alerting's webhook (version 1), signed with HMAC-SHA256 when a secret is set. */
  @Post('grafana')
  @HttpCode(202)
  @RequireRole('responder')
  @ApiBody({ type: GrafanaWebhookDto })
  @ApiResponse({ status: 202, type: AlertBatchAcceptedDto })
  @ApiResponse({ status: 401, description: 'GRAFANA_WEBHOOK_SECRET is set and the signature is missing, wrong or stale.' })
  grafana(@Req() request: RawBodyRequest<Request>, @CurrentPrincipal() principal: Principal): Promise<AlertBatchAcceptedDto> {
    const secret = this.config.grafanaWebhookSecret;
    if (secret) {
      const timestamp = header(request, GRAFANA_TIMESTAMP_HEADER);
      const signed = verifyGrafanaSignature({
        rawBody: request.rawBody ?? Buffer.alloc(0),
        secret,
        signature: header(request, GRAFANA_SIGNATURE_HEADER),
        timestamp,
      });
      if (!signed) throw new UnauthorizedException(`the ${GRAFANA_SIGNATURE_HEADER} signature does not match the body`);
      if (timestamp !== undefined && !isFreshGrafanaTimestamp(timestamp, Date.now())) {
        throw new UnauthorizedException(`the ${GRAFANA_TIMESTAMP_HEADER} timestamp is too old or malformed`);
      }
    }
    const parsed = GrafanaWebhookSchema.safeParse(request.body);
    if (!parsed.success) throw new ZodValidationException(parsed.error);
    return this.alerts.receiveBatch(normalizeGrafana(parsed.data), principal);
  }

  /**
   * CloudWatch alarms through AWS SNS. The message's signature is verified with the SNS
   * certificate; subscription confirmations are confirmed only at SNS's own host.
   */
  @Post('sns')
  @HttpCode(202)
  @RequireRole('responder')
  @ApiConsumes('text/plain', 'application/json')
  @ApiBody({ type: SnsNotificationDto })
  @ApiResponse({ status: 202, type: AlertBatchAcceptedDto })
  @ApiResponse({ status: 403, description: 'The signature does not verify, or the topic is not allowed.' })
  async sns(@Req() request: Request, @CurrentPrincipal() principal: Principal) {
    const envelope = this.parseEnvelope(request.body);
    let verified: boolean;
    try {
      verified = await this.snsTransport.verifier.verify(envelope);
    } catch (error) {
      if (error instanceof SnsCertificateUnavailableError) {
        throw new ServiceUnavailableException('the SNS signing certificate could not be fetched; SNS will redeliver');
      }
      throw error;
    }
    if (!verified) throw new ForbiddenException('the SNS message signature does not verify');
    if (this.config.snsTopicArns && !this.config.snsTopicArns.includes(envelope.TopicArn)) {
      throw new ForbiddenException(`topic ${envelope.TopicArn} is not in SNS_TOPIC_ARNS`);
    }
    switch (envelope.Type) {
      case SnsMessageType.SubscriptionConfirmation:
        try {
          await confirmSubscription(envelope, this.snsTransport.get);
        } catch (error) {
          throw new HttpException(`subscription not confirmed: ${(error as Error).message}`, HttpStatus.BAD_GATEWAY);
        }
        return { subscription: 'confirmed', topicArn: envelope.TopicArn };
      case SnsMessageType.UnsubscribeConfirmation:
        return { subscription: 'unsubscribed', topicArn: envelope.TopicArn };
      default: {
        const alarm = parseCloudWatchAlarm(envelope.Message);
        if (!alarm.success) throw new ZodValidationException(alarm.error);
        const alert = normalizeCloudWatchAlarm(alarm.data, envelope);
        if (!alert) return { incidentId: null, incidentIds: [], recorded: 0, queued: 0, ignored: 1 };
        return this.alerts.receiveBatch([alert], principal);
      }
    }
  }

  private parseEnvelope(body: unknown) {
    let json: unknown = body;
    if (typeof body === 'string') {
      try {
        json = JSON.parse(body);
      } catch {
        throw new HttpException('request body is not valid JSON', HttpStatus.BAD_REQUEST);
      }
    }
    const parsed = SnsEnvelopeSchema.safeParse(json);
    if (!parsed.success) throw new ZodValidationException(parsed.error);
    return parsed.data;
  }
}
