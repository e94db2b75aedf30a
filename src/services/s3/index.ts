import { defineService } from "../service.js";
import * as acl from "./handlers/acl.js";
import * as bucketConfigs from "./handlers/bucket-configs.js";
import * as bucketSettings from "./handlers/bucket-settings.js";
import * as buckets from "./handlers/buckets.js";
import * as copyObject from "./handlers/copy-object.js";
import * as deleteObjects from "./handlers/delete-objects.js";
import * as idConfigs from "./handlers/id-configs.js";
import * as listObjectVersions from "./handlers/list-object-versions.js";
import * as lifecycleConfig from "./handlers/lifecycle-config.js";
import * as listObjects from "./handlers/list-objects.js";
import * as multipart from "./handlers/multipart.js";
import * as notificationConfig from "./handlers/notification-config.js";
import * as objectAttributes from "./handlers/object-attributes.js";
import * as objectLock from "./handlers/object-lock.js";
import * as objectTagging from "./handlers/object-tagging.js";
import * as restoreObject from "./handlers/restore-object.js";
import * as objects from "./handlers/objects.js";
import { s3Cors } from "./cors.js";
import { S3Store } from "./store.js";
import { resetTables } from "./tables.js";
import { s3InternalRoutes } from "./internal-routes.js";
import { rearmRestores } from "./restore.js";

// S3: buckets, objects and their versions, multipart uploads. One namespace of
// bucket names across accounts (shared tables), bytes in the BlobStore. S3 checks
// its input itself (InvalidBucketName, InvalidArgument...), not with the generic
// model validation. Bucket CORS answers browsers (cors.ts); website endpoints
// are served through an internal route (website.ts). Not yet: ACL and policy
// enforcement (both are stored); missing operations answer NotImplemented.

const { deleteObject: _internal, ...objectHandlers } = objects;

export default defineService({
  name: "s3",
  scope: "account",
  cors: s3Cors,
  restoreStores: true,
  createStore: (scope) => {
    const store = new S3Store(scope);
    rearmRestores(store);
    return store;
  },
  validateInput: false,
  streamingInput: true,
  reset: (db, platform) => resetTables(db, platform?.blobs),
  internalRoutes: s3InternalRoutes,
  handlers: {
    ...buckets, ...bucketConfigs, ...bucketSettings, ...objectHandlers, ...copyObject, ...deleteObjects, ...objectTagging,
    ...listObjects, ...listObjectVersions, ...multipart, ...notificationConfig, ...lifecycleConfig, ...acl, ...objectAttributes,
    ...objectLock, ...idConfigs, ...restoreObject,
  },
});
