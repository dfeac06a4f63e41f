/**
 * The status values a status page knows as schemas, apart from the capability's step
 * schemas: a command schema that needs only these does not evaluate the rest.
 */
import { z } from 'zod';
import { COMPONENT_STATUSES, STATUS_PAGE_INCIDENT_STATUSES } from '../../model/capabilities/statuses';

export const StatusPageIncidentStatusSchema = z.enum(STATUS_PAGE_INCIDENT_STATUSES);

export const ComponentStatusSchema = z.enum(COMPONENT_STATUSES);
