"""Page objects of the eHealth portal and CSAM: they know the browser and the site's words, nothing else."""
