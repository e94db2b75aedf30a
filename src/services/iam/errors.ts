import { ServiceError } from "../../protocols/service-error.js";
import type { ModelErrors } from "../service.js";

// Every IAM error message Terrarium answers, in one place, worded as AWS words it.
// Unless noted, the wording is from responses recorded against AWS in LocalStack's
// snapshot tests (localstack/localstack tests/aws/services/iam/test_iam_*.snapshot.json,
// tests marked `aws.validated`), e.g. test_iam_users.snapshot.json,
// test_iam_roles.snapshot.json, test_iam_policies.snapshot.json.
//
// ValidationError and AccessDenied are not error shapes of the IAM model (they come
// from AWS's request layer), so they are built here directly.

export function validationError(message: string): ServiceError {
  return new ServiceError("ValidationError", message, { status: 400 });
}

export function accessDenied(message: string): ServiceError {
  return new ServiceError("AccessDenied", message, { status: 403 });
}

export const noSuch = {
  user: (e: ModelErrors, name: string) => e.NoSuchEntityException(`The user with name ${name} cannot be found.`),
  group: (e: ModelErrors, name: string) => e.NoSuchEntityException(`The group with name ${name} cannot be found.`),
  role: (e: ModelErrors, name: string) => e.NoSuchEntityException(`The role with name ${name} cannot be found.`),
  instanceProfile: (e: ModelErrors, name: string) => e.NoSuchEntityException(`Instance Profile ${name} cannot be found.`),
  roleInProfile: (e: ModelErrors, role: string, profile: string) =>
    e.NoSuchEntityException(`Role ${role} in Instance Profile ${profile} cannot be found.`),
  /** kind: "user" | "group" | "role" */
  inlinePolicy: (e: ModelErrors, kind: string, name: string) =>
    e.NoSuchEntityException(`The ${kind} policy with name ${name} cannot be found.`),
  /** GetPolicy, DeletePolicy, Tag/UntagPolicy, and detaching a policy that is not attached. */
  policy: (e: ModelErrors, arn: string) => e.NoSuchEntityException(`Policy ${arn} was not found.`),
  attachable: (e: ModelErrors, arn: string) => e.NoSuchEntityException(`Policy ${arn} does not exist or is not attachable.`),
  boundary: (e: ModelErrors, arn: string) =>
    e.NoSuchEntityException(`Scope ARN: ${arn} does not exist or is not attachable.`),
  policyVersion: (e: ModelErrors, arn: string, version: string) =>
    e.NoSuchEntityException(`Policy ${arn} version ${version} does not exist or is not attachable.`),
  accessKey: (e: ModelErrors, id: string) => e.NoSuchEntityException(`The Access Key with id ${id} cannot be found.`),
  loginProfile: (e: ModelErrors, user: string) => e.NoSuchEntityException(`Login Profile for User ${user} cannot be found.`),
};

export const exists = {
  user: (e: ModelErrors, name: string) => e.EntityAlreadyExistsException(`User with name ${name} already exists.`),
  group: (e: ModelErrors, name: string) => e.EntityAlreadyExistsException(`Group with name ${name} already exists.`),
  role: (e: ModelErrors, name: string) => e.EntityAlreadyExistsException(`Role with name ${name} already exists.`),
  instanceProfile: (e: ModelErrors, name: string) => e.EntityAlreadyExistsException(`Instance Profile ${name} already exists.`),
  policy: (e: ModelErrors, name: string) =>
    e.EntityAlreadyExistsException(`A policy called ${name} already exists. Duplicate names are not allowed.`),
  loginProfile: (e: ModelErrors, user: string) =>
    e.EntityAlreadyExistsException(`Login Profile for user ${user} already exists.`),
};

export const conflict = {
  detachPolicies: (e: ModelErrors) => e.DeleteConflictException("Cannot delete entity, must detach all policies first."),
  deletePolicies: (e: ModelErrors) => e.DeleteConflictException("Cannot delete entity, must delete policies first."),
  rolesInProfile: (e: ModelErrors) =>
    e.DeleteConflictException("Cannot delete entity, must remove roles from instance profile first."),
  /** DeleteGroup with members; AWS answers DeleteUser of a group member with the same words
   *  (as recorded in a user's script, github.com/search "must remove users from group first"). */
  usersInGroup: (e: ModelErrors) => e.DeleteConflictException("Cannot delete entity, must remove users from group first."),
  accessKeys: (e: ModelErrors) => e.DeleteConflictException("Cannot delete entity, must delete access keys first."),
  loginProfile: (e: ModelErrors) => e.DeleteConflictException("Cannot delete entity, must delete login profile first."),
  policyAttached: (e: ModelErrors) => e.DeleteConflictException("Cannot delete a policy attached to entities."),
  policyVersions: (e: ModelErrors) =>
    e.DeleteConflictException(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's non-default versions.",
    ),
  defaultVersion: (e: ModelErrors) => e.DeleteConflictException("Cannot delete the default version of a policy."),
};

export const limit = {
  versions: (e: ModelErrors) =>
    e.LimitExceededException(
      "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    ),
  /** "Cannot exceed quota for <Quota>: <n>", the form AWS uses for AccessKeysPerUser and
   *  InstanceSessionsPerInstanceProfile (recorded) and for PoliciesPerRole etc. */
  quota: (e: ModelErrors, quota: string, n: number) => e.LimitExceededException(`Cannot exceed quota for ${quota}: ${n}`),
};

/** Policy ARNs that are not ARNs at all: ValidationError when attaching, InvalidInput for boundaries. */
export function invalidArn(arn: string): ServiceError {
  return validationError(`ARN ${arn} is not valid.`);
}

export function invalidBoundaryArn(e: ModelErrors, arn: string): ServiceError {
  return e.InvalidInputException(`ARN ${arn} is not valid.`);
}

/** Access key operations without UserName, called by a principal that is not an IAM user. */
export function userNameRequired(): ServiceError {
  return validationError("Must specify userName when calling with non-User credentials");
}

/** List* Marker that Terrarium did not issue. Wording as other emulators answer it;
 *  AWS's markers are opaque and we found no recorded answer to a forged one. */
export function invalidMarker(): ServiceError {
  return validationError("Invalid Marker.");
}
