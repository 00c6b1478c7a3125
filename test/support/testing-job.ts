// A job compiled only into test builds: sleeps for the instance's milliseconds, fails on "fail".
export default async function main(instance: string | undefined): Promise<void> {
  if (instance === "fail") throw new Error("asked to fail");
  await new Promise((resolve) => setTimeout(resolve, Number(instance ?? 0)));
}
