export { adminTokenFor } from './admin-token';
