import { isRedacted, known } from "../lib/define";
import { containersOf, podPolicy } from "../lib/kubernetes";

/** What is wrong with an image reference, or undefined when it names a fixed tag or a digest. */
function imagePinProblem(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  // A colon after the last slash starts the tag; one before it is the registry's port.
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return "has no tag, so it means :latest";
  if (lastSegment.slice(colon + 1) === "latest") return "is tagged :latest";
  return undefined;
}

export const kubernetesImagePinned = podPolicy({
  name: "kubernetes-image-pinned",
  description:
    "Every container image names a version tag other than latest, or a digest: an untagged or :latest image changes under a running workload whenever a node pulls it again.",
  check: (pod, report) => {
    for (const { where, container } of containersOf(pod)) {
      // An image built at deploy time is known only once it is pushed (under its content hash).
      const image = known(() => container.image);
      if (image === undefined || isRedacted(image)) continue;
      const problem = imagePinProblem(image);
      if (problem)
        report(`${where} image "${image}" ${problem}.`, "name a version tag (e.g. :1.2.3) or a digest (@sha256:...).");
    }
  },
});
