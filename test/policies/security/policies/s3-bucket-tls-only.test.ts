import { policyCases } from "../../support";
import { bucketPolicy, compliant, tlsOnly, without } from "../support";

policyCases("s3-bucket-tls-only", {
  compliant: {
    "a bucket policy denying aws:SecureTransport = false": compliant("logs"),
    "a bucket policy whose document is not known yet": without("policy", bucketPolicy("logs", "[unknown]")),
  },
  violations: {
    "a bucket without a bucket policy": { resources: without("policy"), offender: "logs", says: /no bucket policy/ },
    "a bucket policy without the TLS deny": {
      resources: without(
        "policy",
        bucketPolicy(
          "logs",
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::123456789012:root" },
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::logs/*",
              },
            ],
          }),
        ),
      ),
      offender: "logs",
    },
    "a TLS deny for one principal only": {
      resources: without(
        "policy",
        bucketPolicy(
          "logs",
          tlsOnly("logs").replace('"Principal":"*"', '"Principal":{"AWS":"arn:aws:iam::123456789012:role/app"}'),
        ),
      ),
      offender: "logs",
    },
  },
});
