"""The MyCareNet inclusion application: where the manual's step 4 leads (include, exclude, list view)."""
