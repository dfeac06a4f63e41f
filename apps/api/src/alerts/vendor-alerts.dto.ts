import { createApiDto } from '../http/api-dto';
import { AlertmanagerWebhookSchema } from '../../../../core/schemas/alert-sources/alertmanager';
import { GrafanaWebhookSchema } from '../../../../core/schemas/alert-sources/grafana';
import { SnsNotificationSchema } from '../../../../core/schemas/alert-sources/sns';

export class AlertmanagerWebhookDto extends createApiDto(AlertmanagerWebhookSchema) {}
export class GrafanaWebhookDto extends createApiDto(GrafanaWebhookSchema) {}
export class SnsNotificationDto extends createApiDto(SnsNotificationSchema) {}
