/**
 * A managed-style MariaDB: `require_secure_transport=ON` with a certificate from a self-signed CA (openssl),
 * started privately on port 3410 through `.ci/mariadb.sh` in a folder of its own, and stopped afterwards.
 * The warehouse connects with `?ssl-ca=`, and without TLS the message says TLS is required.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openWarehouse } from "../lib/warehouse/mod.ts";

const PORT = 3410;
const MARIADB_SCRIPT = new URL("../.ci/mariadb.sh", import.meta.url).pathname;

async function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(command, { args, env }).output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${code}):\n${text}`);
  return text;
}

async function found(command: string): Promise<boolean> {
  const { code } = await new Deno.Command("bash", {
    args: ["-c", `PATH="$PATH:/usr/sbin" command -v ${command}`],
    stdout: "null",
  }).output();
  return code === 0;
}

/** A CA and a server certificate for 127.0.0.1 signed by it, in `dir`. */
async function makeCertificates(dir: string): Promise<void> {
  const ssl = (...args: string[]) => run("openssl", args);
  await ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=workbench test CA",
    "-keyout",
    join(dir, "ca.key"),
    "-out",
    join(dir, "ca.pem"),
  );
  await ssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    join(dir, "server.key"),
    "-out",
    join(dir, "server.csr"),
  );
  await Deno.writeTextFile(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await ssl(
    "x509",
    "-req",
    "-in",
    join(dir, "server.csr"),
    "-CA",
    join(dir, "ca.pem"),
    "-CAkey",
    join(dir, "ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    join(dir, "ext.cnf"),
    "-out",
    join(dir, "server.pem"),
  );
  for (const file of ["ca.pem", "server.pem", "server.key"]) await Deno.chmod(join(dir, file), 0o644);
}

const available = await found("mariadbd") && await found("openssl");
const inCi = Deno.env.get("CI") === "true";
if (!available && !inCi) console.info("TLS test ignored: mariadbd or openssl is not installed");

Deno.test({
  name: "a MariaDB with require_secure_transport=ON: ssl-ca connects, a plain URL is told TLS is required",
  ignore: !available && !inCi,
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "etl_tls_" });
  const env = {
    MARIADB_PORT: String(PORT),
    MARIADB_DIR: join(dir, "server"),
    MARIADB_EXTRA_CONFIG: [
      `ssl_ca=${join(dir, "ca.pem")}`,
      `ssl_cert=${join(dir, "server.pem")}`,
      `ssl_key=${join(dir, "server.key")}`,
      "require_secure_transport=ON",
    ].join("\n"),
  };
  await makeCertificates(dir);
  await run("bash", [MARIADB_SCRIPT, "start"], env);
  const base = `mysql://workbench:workbench@127.0.0.1:${PORT}/tls_test`;
  try {
    await t.step("with ssl-ca the connection is encrypted and verified", async () => {
      await using wh = await openWarehouse(`${base}?ssl-ca=${encodeURIComponent(join(dir, "ca.pem"))}`);
      const [status] = await wh.query<{ Value: string }>("SHOW SESSION STATUS LIKE 'Ssl_version'");
      assert.match(status.Value, /^TLSv1\.[23]$/);
      await wh.execute("CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY)");
      await wh.upsert("t", ["id"], ["id"], [[1]]);
      assert.deepEqual(await wh.query("SELECT id FROM t"), [{ id: 1 }]);
    });
    await t.step("ssl-mode=REQUIRED connects without checking the certificate", async () => {
      await using wh = await openWarehouse(`${base}?ssl-mode=REQUIRED`);
      const [status] = await wh.query<{ Value: string }>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      assert.ok(status.Value.length > 0, "a cipher is in use");
    });
    await t.step("without TLS the message says TLS is required and how to ask for it", async () => {
      await assert.rejects(
        () => openWarehouse(base),
        /Cannot connect to MySQL at 127\.0\.0\.1:3410: the server requires TLS \(require_secure_transport=ON\).*ssl-mode=REQUIRED.*ssl-ca/,
      );
    });
    await t.step("a CA that did not sign the server's certificate is refused", async () => {
      const otherCa = join(dir, "other");
      await Deno.mkdir(otherCa);
      await makeCertificates(otherCa);
      await assert.rejects(
        () => openWarehouse(`${base}?ssl-ca=${encodeURIComponent(join(otherCa, "ca.pem"))}`),
        /Cannot connect to MySQL at 127\.0\.0\.1:3410: .*(certificate|self.signed)/i,
      );
    });
  } finally {
    await run("bash", [MARIADB_SCRIPT, "stop"], env).catch((error) => console.error(error));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
