import {
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
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
import { Public, Requires } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/access';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { CONFIG, SNS_TRANSPORT } from '../tokens';
import { AlertBatchAcceptedDto } from './alerts.dto';
import { AlertsService } from './alerts.service';
import { GRAFANA_SIGNATURE_HEADER, GRAFANA_TIMESTAMP_HEADER, grafanaDeliveryRefusal } from './signatures/grafana-signature';
import {
  confirmSubscription,
  SnsCertificateUnavailableError,
  snsTimestampRefusal,
  snsTopicName,
  type HttpGet,
  type SnsSignatureVerifier,
} from './signatures/sns-signature';
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
  @Requires('alerts.send')
  @ApiResponse({ status: 202, type: AlertBatchAcceptedDto })
  alertmanager(@Body() body: AlertmanagerWebhookDto, @CurrentPrincipal() principal: Principal): Promise<AlertBatchAcceptedDto> {
    return this.alerts.receiveBatch(normalizeAlertmanager(body), principal);
  }

  /** Grafana unified alerting's webhook (version 1), signed with HMAC-SHA256 when a secret is set. */
  @Post('grafana')
  @HttpCode(202)
  @Requires('alerts.send')
  @ApiBody({ type: GrafanaWebhookDto })
  @ApiResponse({ status: 202, type: AlertBatchAcceptedDto })
  @ApiResponse({ status: 401, description: 'GRAFANA_WEBHOOK_SECRET is set and the signature is missing, wrong or stale.' })
  grafana(@Req() request: RawBodyRequest<Request>, @CurrentPrincipal() principal: Principal): Promise<AlertBatchAcceptedDto> {
    const secret = this.config.grafanaWebhookSecret;
    if (secret) {
      const refusal = grafanaDeliveryRefusal({
        rawBody: request.rawBody ?? Buffer.alloc(0),
        secret,
        signature: header(request, GRAFANA_SIGNATURE_HEADER),
        timestamp: header(request, GRAFANA_TIMESTAMP_HEADER),
        nowMs: Date.now(),
      });
      if (refusal) throw new UnauthorizedException(refusal);
    }
    const parsed = GrafanaWebhookSchema.safeParse(request.body);
    if (!parsed.success) throw new ZodValidationException(parsed.error);
    return this.alerts.receiveBatch(normalizeGrafana(parsed.data), principal);
  }

  /**
   * CloudWatch alarms through AWS SNS. SNS cannot send a Bearer key (only Basic, in the
   * subscription URL), so this route takes no key: what SNS proves stands in for one, a
   * signature checked with SNS's certificate (SHA256, SHA1 only when allowed), a topic in
   * `SNS_TOPIC_ARNS`, and a message published within the hour. For the guard it is a public
   * route (`@Public`); the actor on the timeline is `sns:<topic name>`. Subscription
   * confirmations are confirmed only at SNS's own host.
   */
  @Post('sns')
  @HttpCode(202)
  @Public("SNS cannot send a key: its message signature, a topic in SNS_TOPIC_ARNS and a message under an hour old stand in for one", { checks: 'alerts.send' })
  @ApiConsumes('text/plain', 'application/json')
  @ApiBody({ type: SnsNotificationDto })
  @ApiResponse({ status: 202, type: AlertBatchAcceptedDto })
  @ApiResponse({ status: 403, description: 'The topic is not in SNS_TOPIC_ARNS, the signature does not verify or is SHA1, or the message is over an hour old.' })
  @ApiResponse({ status: 404, description: 'SNS_TOPIC_ARNS is unset: the SNS route is off.' })
  async sns(@Req() request: AuthenticatedRequest) {
    const topics = this.config.snsTopicArns;
    if (!topics) throw new NotFoundException('the SNS route is off: set SNS_TOPIC_ARNS to the ARNs of the topics allowed to deliver here');
    const envelope = this.parseEnvelope(request.body);
    if (!topics.includes(envelope.TopicArn)) throw new ForbiddenException(`topic ${envelope.TopicArn} is not in SNS_TOPIC_ARNS`);
    if (envelope.SignatureVersion === '1' && !this.config.snsAllowSignatureV1) {
      throw new ForbiddenException(
        `the message is signed with SignatureVersion 1 (SHA1): set the topic's SignatureVersion attribute to 2 (aws sns set-topic-attributes --topic-arn ${envelope.TopicArn} --attribute-name SignatureVersion --attribute-value 2), or accept SHA1 with SNS_ALLOW_SIGNATURE_V1=true`,
      );
    }
    const stale = snsTimestampRefusal(envelope.Timestamp, Date.now());
    if (stale) throw new ForbiddenException(stale);
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
    const principal: Principal = { name: `sns:${snsTopicName(envelope.TopicArn)}`, role: 'sender' };
    request.principal = principal;
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
