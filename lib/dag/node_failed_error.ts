/** Thrown by {@linkcode runDag} callers that want an exception for a failed node; carries the node id. */
export class NodeFailedError extends Error {
  readonly nodeId: string;
  constructor(nodeId: string, message: string, options?: ErrorOptions) {
    super(`Node "${nodeId}" failed: ${message}`, options);
    this.name = "NodeFailedError";
    this.nodeId = nodeId;
  }
}
