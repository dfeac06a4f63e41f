export { hasRole, type Principal } from '../../../../core/model/roles';
