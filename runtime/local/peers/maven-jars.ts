import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One `groupId:artifactId:version` line of a jar list, and where .ci/fetch-maven-jars put its jar. */
export interface MavenJar {
  group: string;
  artifact: string;
  version: string;
  file: string;
}

/** The jars of a list as .ci/fetch-maven-jars reads it (blank lines and `#` comments skipped), in `dir`. */
export function mavenJars(list: string, dir: string): MavenJar[] {
  return readFileSync(list, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [group, artifact, version] = line.split(":");
      return { group, artifact, version, file: join(dir, `${artifact}-${version}.jar`) };
    });
}

/** The artifacts of `jars` that fetch-maven-jars has not fetched and checked (no `.ok` stamp). */
export function missingJars(jars: MavenJar[]): string[] {
  return jars.filter((jar) => !existsSync(`${jar.file}.ok`)).map((jar) => jar.artifact);
}
