import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { canonicalAlertIdentity, type GenericAlert, normalizeGenericAlert, type Alert } from '../../../../core/alert';
import type { Principal } from '../auth/principal';
import { hashedDedupKey } from '../incidents/incident-ids';
import { AlertIngestor } from './alert-ingestor.service';
import type { AlertAccepted } from './alerts.dto';

/** Normalizes alerts from every source and hands them to the ingestor. */
@Injectable()
export class AlertsService {
  constructor(private readonly ingestor: AlertIngestor) {}

  async receiveGeneric(body: GenericAlert, principal: Principal): Promise<AlertAccepted> {
    const dedupKey = body.dedupKey ?? hashedDedupKey(canonicalAlertIdentity(body.source, body.labels));
    return this.receive(normalizeGenericAlert(body, dedupKey), principal);
  }

  private async receive(alert: Alert, principal: Principal): Promise<AlertAccepted> {
    const receiptId = randomUUID();
    const outcome = await this.ingestor.ingest({
      receiptId,
      receivedAt: new Date().toISOString(),
      receivedBy: principal.name,
      alert,
    });
    return outcome.recorded
      ? { incidentId: outcome.incidentId, status: 'recorded', receiptId }
      : { incidentId: null, status: 'ignored', receiptId, reason: 'resolved alert with no open incident for its dedup key' };
  }
}
