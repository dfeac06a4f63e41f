import { createApiDto } from '../http/api-dto';
import { AlertmanagerWebhookSchema } from '../../../../core/alert-sources/alertmanager';
import { GrafanaWebhookSchema } from '../../../../core/alert-sources/grafana';
import { SnsNotificationSchema } from '../../../../core/alert-sources/sns';

export class AlertmanagerWebhookDto extends createApiDto(AlertmanagerWebhookSchema) {}
export class GrafanaWebhookDto extends createApiDto(GrafanaWebhookSchema) {}
export class SnsNotificationDto extends createApiDto(SnsNotificationSchema) {}
