"""``bosim app``: a local web app for planners, a thin layer over :mod:`bosim.api`.

Open a bundled or own scenario, change capacities, staff, service hours and prices in a
form (checked as ``bosim validate`` checks), run or compare with a progress bar and a
cancel button, download the report and the spreadsheet, and save the changed plan as a
new scenario file that ``extends`` the original. The pure parts (:mod:`.fields`,
:mod:`.plans`, :mod:`.jobs`, :mod:`.tables`) are used without a browser; :mod:`.server`
and :mod:`.page` are the Shiny app; :mod:`.serve` starts it on 127.0.0.1.
"""
