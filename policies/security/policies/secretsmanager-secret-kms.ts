import { kmsKeyPolicy } from "../lib/kms";
import { SECRET } from "../lib/types";

export const secretsmanagerSecretKms = kmsKeyPolicy({
  name: "secretsmanager-secret-kms",
  service: "Secrets Manager secrets",
  type: SECRET,
  keyInput: "kmsKeyId",
  awsManagedAlias: "alias/aws/secretsmanager",
});
