export { SecretBox, parseSecretsKey, keyIdOf } from './secret-box';
export { verifyAuth, type AuthVerdict, type AuthFailureReason, type InboundRequest } from './verify-auth';
export { ipAllowList, isValidCidr } from './allow-ips';
export { dedupKeySource, dedupKeyOf, dedupProblem, isValidDedupKeySource, type DedupSources } from './dedup-key';
export { SecretCache, type SealedSecretSource } from './secret-cache';
export { openSecretBox } from './open-secret-box';
export { authSchema, dedupSchema, headerNameSchema, protectionCreateFields, protectionFields, secretNameSchema } from './protection-schemas';
export { secretsNamedBy } from './secrets-named-by';
