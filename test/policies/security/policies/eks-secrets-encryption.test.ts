import { policyCases } from "../../support";
import { awsEks, eksComponent, KEY_ARN } from "../support";

policyCases("eks-secrets-encryption", {
  compliant: {
    "an eks.Cluster with encryptionConfigKeyArn": eksComponent(),
    "an aws.eks.Cluster encrypting secrets": awsEks(
      { endpointPublicAccess: false },
      { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
    ),
  },
  violations: {
    "an eks.Cluster without a secrets key": {
      resources: eksComponent({ encryptionConfigKeyArn: undefined }),
      offender: "compute",
    },
    "an aws.eks.Cluster without encryptionConfig": {
      resources: awsEks({ endpointPublicAccess: false }),
      offender: "raw-eks",
    },
  },
});
