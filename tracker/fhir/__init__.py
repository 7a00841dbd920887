"""FHIR R4 export (plain dicts; the tests validate them with fhir.resources' R4B models).

Now: the Patient resource. Later: Observations (daily pain, LOINC 72514-3; activity pain; brace
wear) and QuestionnaireResponses, each a builder function in its own module, gathered into a
Bundle of type "collection" by `patient_bundle`.
"""
