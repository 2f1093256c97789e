import { EngineProject } from "../helpers/engine";
import { testCluster } from "../helpers/cluster";
(async () => {
  const c = testCluster();
  const p = new EngineProject("op", { name: "opr", namespace: "e2e-operate", pd: { minReadySeconds: 1 }, store: { minReadySeconds: 1 } }, { kubeconfig: c.kubeconfig });
  await p.init();
  const t0 = Date.now();
  const up = await p.up(["--policy-pack", "policies"]);
  console.log(up.code, (Date.now()-t0)/1000, up.output.slice(-1500));
  console.log("DIR", p.dir);
})();
